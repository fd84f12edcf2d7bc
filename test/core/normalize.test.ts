// htmlToText, canonicalUrl, parseFeedDate and normalizeItem: what a reader of an alert sees, and what dedupe keys on.
import {
  canonicalUrl,
  DERIVED_SUMMARY_CHARS,
  htmlToText,
  MAX_CONTENT_CHARS,
  MAX_SUMMARY_CHARS,
  MAX_TITLE_CHARS,
  normalizeItem,
  parseFeedDate,
} from '../../lambda/core/normalize';

const FEED = { name: 'CyberScoop', url: 'https://cyberscoop.com/feed/' };

describe('htmlToText', () => {
  it.each([
    ['<p>Krebs was <b>fired</b>.</p><p>CISA responded.</p>', 'Krebs was fired. CISA responded.'],
    ['line one<br>line two<br/>line three', 'line one line two line three'],
    ['<ul><li>Masterson</li><li>Sterling</li></ul>', 'Masterson Sterling'],
    ['<img src="a.png" alt="x > y"/>After the image', 'After the image'],
    ['Before<script>alert("Krebs")</script> after', 'Before after'],
    ['<style>p { color: red }</style>Styled', 'Styled'],
    ['<!-- a comment with <b>markup</b> -->Visible', 'Visible'],
    ['Summary cut off mid-tag <a href="https://exa', 'Summary cut off mid-tag'],
  ])('strips markup: %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it.each([
    ['Krebs&nbsp;&mdash; CISA&rsquo;s director', 'Krebs — CISA’s director'],
    ['&ldquo;Secure&rdquo; &amp; &quot;accurate&quot; &hellip;', '“Secure” & "accurate" …'],
    ['Decimal &#8217; and hex &#x2019; and &#39;quotes&#39;', "Decimal ’ and hex ’ and 'quotes'"],
    ['Caf&eacute; M&uuml;ller &copy; 2020', 'Café Müller © 2020'],
    ['AT&amp;amp;T, double-encoded once', 'AT&T, double-encoded once'],
    ['&lt;p&gt;Escaped &lt;b&gt;HTML&lt;/b&gt;&lt;/p&gt;', 'Escaped HTML'],
    ['&amp;lt;p&amp;gt;Escaped twice&amp;lt;/p&amp;gt;', 'Escaped twice'],
    ['don&#146;t (a windows-1252 code point)', 'don’t (a windows-1252 code point)'],
  ])('decodes entities: %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('maps stray C1 control characters to the windows-1252 characters that were meant', () => {
    expect(htmlToText('don\u0092t \u0093quote\u0094')).toBe('don’t “quote”');
  });

  it('repairs UTF-8 that was read as windows-1252 or Latin-1', () => {
    expect(htmlToText('Raffensperger\u00e2\u0080\u0099s office')).toBe('Raffensperger’s office');
    expect(htmlToText('Raffensperger&#226;&#128;&#153;s caf&#195;&#169;')).toBe('Raffensperger’s café');
    expect(htmlToText('â€œquotedâ€\u009d')).toBe('“quoted”');
  });

  it('leaves ordinary accented text alone', () => {
    expect(htmlToText('São Paulo, Ångström, naïve, Über, Ñandú')).toBe('São Paulo, Ångström, naïve, Über, Ñandú');
  });

  it('collapses whitespace, non-breaking spaces and zero-width characters', () => {
    expect(htmlToText('  Chris\u00a0\u00a0Krebs \n\t fired\u200b today  ')).toBe('Chris Krebs fired today');
  });

  it('keeps text that only looks a little like markup', () => {
    expect(htmlToText('2 < 3 and 5 > 4, Tom & Jerry')).toBe('2 < 3 and 5 > 4, Tom & Jerry');
  });

  it('reads a huge fragment only up to a bound', () => {
    const text = htmlToText(`<p>${'word '.repeat(100_000)}</p>`);
    expect(text.length).toBeLessThan(250_000);
    expect(text.startsWith('word word')).toBe(true);
  });

  it('handles a run of unclosed tags', () => {
    expect(htmlToText(`${'<a '.repeat(20_000)}end`)).not.toContain('<a');
  });
});

describe('canonicalUrl', () => {
  it.each([
    ['HTTPS://WWW.BBC.CO.UK/news/world-us-canada-54982360', 'https://www.bbc.co.uk/news/world-us-canada-54982360'],
    ['https://example.com:443/a', 'https://example.com/a'],
    ['http://example.com:80/a', 'http://example.com/a'],
    ['http://example.com:8080/a', 'http://example.com:8080/a'],
    ['https://example.com/story#comments', 'https://example.com/story'],
    ['https://user:secret@example.com/story', 'https://example.com/story'],
    [
      'https://example.com/story?utm_source=rss&utm_medium=feed&utm_campaign=x&fbclid=1&gclid=2&mc_cid=3&mc_eid=4',
      'https://example.com/story',
    ],
    ['https://example.com/s?ocid=msn&cmpid=a&_ga=1&igshid=z&ref=tw&CMP=twt_gu&id=7', 'https://example.com/s?id=7'],
    ['https://example.com/s?z=1&a=2&m=3', 'https://example.com/s?a=2&m=3&z=1'],
    ['https://example.com/s?b=2&a=first&a=second', 'https://example.com/s?a=first&a=second&b=2'],
    ['http://purl.org/rss/2.0/?item', 'http://purl.org/rss/2.0/?item'],
  ])('%s -> %s', (url, canonical) => {
    expect(canonicalUrl(url)).toBe(canonical);
  });

  it('resolves a relative link against the base', () => {
    expect(canonicalUrl('/gulpjs/gulp/releases/tag/v3.9.0', 'https://github.com/gulpjs/gulp/releases.atom')).toBe(
      'https://github.com/gulpjs/gulp/releases/tag/v3.9.0',
    );
  });

  it.each([
    'javascript:alert(1)',
    'mailto:krebs@example.com',
    'ftp://example.com/file',
    'data:text/html,hi',
    'not a url',
    '',
  ])('gives undefined for %j', (url) => {
    expect(canonicalUrl(url)).toBeUndefined();
  });

  it('gives the same answer for the same article however it is tagged', () => {
    expect(canonicalUrl('https://Example.com/a?utm_source=twitter&id=1#top')).toBe(
      canonicalUrl('https://example.com/a?id=1&fbclid=IwAR0'),
    );
  });
});

describe('parseFeedDate', () => {
  it.each([
    ['Tue, 17 Nov 2020 23:59:00 -0500', '2020-11-18T04:59:00.000Z'],
    ['Wed, 18 Nov 2020 02:16:00 GMT', '2020-11-18T02:16:00.000Z'],
    ['18 Nov 2020 02:16 +0000', '2020-11-18T02:16:00.000Z'],
    ['Tue, 17 Nov 2020 21:16:00 EST', '2020-11-18T02:16:00.000Z'],
    ['Tue, 17 Nov 2020 18:16:00 PST', '2020-11-18T02:16:00.000Z'],
    ['Mon, 02 Jun 04 19:07:55 -0400', '2004-06-02T23:07:55.000Z'],
    ['Tue, 17 Nov 2020 23:59:00', '2020-11-17T23:59:00.000Z'],
    ['2020-11-18T02:16:00Z', '2020-11-18T02:16:00.000Z'],
    ['2020-11-17T21:16:00-05:00', '2020-11-18T02:16:00.000Z'],
    ['2020-11-18T02:16:00.123+0000', '2020-11-18T02:16:00.123Z'],
    ['2020-11-18 02:16:00', '2020-11-18T02:16:00.000Z'],
    ['2020-11-18', '2020-11-18T00:00:00.000Z'],
    // Forms small publishers write: read, so a recent item is not taken for an old one on a feed's first poll.
    ['2020-11-17T21:16:00-05', '2020-11-18T02:16:00.000Z'],
    ['Tue, 17 Nov 2020 9:16 PM EST', '2020-11-18T02:16:00.000Z'],
    ['Tue, 17 Nov 2020 21:16:00.000 -0500', '2020-11-18T02:16:00.000Z'],
    ['Wed, 18 Nov 2020 02:16:00 +0000 (UTC)', '2020-11-18T02:16:00.000Z'],
    ['Wednesday, 18-Nov-20 02:16:00 GMT', '2020-11-18T02:16:00.000Z'],
    ['Wed,18 Nov 2020 02:16:00 GMT', '2020-11-18T02:16:00.000Z'],
    ['Wed Nov 18 2020 02:16:00 GMT+0000', '2020-11-18T02:16:00.000Z'],
    ['November 17, 2020 9:16 PM ET', '2020-11-18T02:16:00.000Z'],
    ['Nov 18th, 2020 at 2:16 am', '2020-11-18T02:16:00.000Z'],
    ['Wed, 18 Nov 2020', '2020-11-18T00:00:00.000Z'],
  ])('%s', (text, iso) => {
    expect(new Date(parseFeedDate(text) ?? Number.NaN).toISOString()).toBe(iso);
  });

  it.each([
    'yesterday',
    'Τρί, 29 Ιούν 2004 12:53:00 GMT',
    '31 Feb 2020 10:00:00 GMT',
    '2020-13-01T00:00:00Z',
    'Wed, 18 Nov 2020 13:16 PM GMT',
    '',
    undefined,
  ])('gives undefined for %j', (text) => {
    expect(parseFeedDate(text)).toBeUndefined();
  });
});

describe('normalizeItem', () => {
  it('turns an RSS item into plain text with a canonical link and the feed as publisher', () => {
    const item = normalizeItem(
      {
        guid: ' https://cyberscoop.com/?p=51234 ',
        title: 'CISA director Chris Krebs fired &amp; replaced',
        link: 'https://cyberscoop.com/chris-krebs-fired-cisa/?utm_source=rss&utm_medium=rss',
        summary: '<p>The head of <b>CISA</b> was fired&nbsp;by tweet.</p>',
        content: '<p>Christopher Krebs, the director of CISA, was fired on Tuesday.</p>',
        published: 'Tue, 17 Nov 2020 23:59:00 -0500',
      },
      FEED,
    );
    expect(item).toEqual({
      guid: 'https://cyberscoop.com/?p=51234',
      title: 'CISA director Chris Krebs fired & replaced',
      summary: 'The head of CISA was fired by tweet.',
      content: 'Christopher Krebs, the director of CISA, was fired on Tuesday.',
      link: 'https://cyberscoop.com/chris-krebs-fired-cisa/?utm_source=rss&utm_medium=rss',
      canonicalLink: 'https://cyberscoop.com/chris-krebs-fired-cisa/',
      publisher: 'CyberScoop',
      publishedAt: Date.parse('2020-11-18T04:59:00Z'),
    });
  });

  it('takes a Google News publisher from <source> and drops it from the title', () => {
    const item = normalizeItem(
      {
        guid: 'CBMiPmh0dHBzOi8vd3d3LmJiYy5jby51ay9uZXdzL3dvcmxkLXVzLWNhbmFkYS01NDk4MjM2MNIBAA',
        title: 'Trump fires CISA director Chris Krebs - BBC News',
        link: 'https://news.google.com/rss/articles/CBMiPmh0dHBzOi8vd3d3LmJiYy5jby51ay9uZXdz?oc=5',
        summary:
          '<a href="https://news.google.com/rss/articles/CBMi?oc=5" target="_blank">Trump fires CISA director Chris Krebs</a>&nbsp;&nbsp;<font color="#6f6f6f">BBC News</font>',
        published: 'Wed, 18 Nov 2020 02:16:00 GMT',
        source: { name: 'BBC News', url: 'https://www.bbc.co.uk' },
      },
      { name: 'Google News: Chris Krebs', url: 'https://news.google.com/rss/search?q=%22Chris+Krebs%22' },
    );
    expect(item.title).toBe('Trump fires CISA director Chris Krebs');
    expect(item.publisher).toBe('BBC News');
    expect(item.summary).toBe('Trump fires CISA director Chris Krebs BBC News');
    expect(item.publishedAt).toBe(Date.parse('2020-11-18T02:16:00Z'));
  });

  it('keeps a title that does not end with the source name', () => {
    const item = normalizeItem(
      { title: 'Krebs: election was most secure - analysis', source: { name: 'Reuters' } },
      FEED,
    );
    expect(item.title).toBe('Krebs: election was most secure - analysis');
    expect(item.publisher).toBe('Reuters');
  });

  it('derives a short summary from the content when the feed gives none', () => {
    const content = `<p>${'Gabriel Sterling warned that threats against election workers must stop. '.repeat(20)}</p>`;
    const item = normalizeItem({ title: 'Sterling warns', content }, FEED);
    expect(item.summary.length).toBeLessThanOrEqual(DERIVED_SUMMARY_CHARS);
    expect(item.summary.endsWith('…')).toBe(true);
    expect(item.content.startsWith(item.summary.slice(0, -1))).toBe(true);
    expect(item.content.length).toBeGreaterThan(item.summary.length);
  });

  it('shortens a summary that merely repeats the content', () => {
    const text = `<p>${'Raffensperger certified the results after the hand recount. '.repeat(20)}</p>`;
    const item = normalizeItem({ title: 'Certified', summary: text, content: text }, FEED);
    expect(item.summary.length).toBeLessThanOrEqual(DERIVED_SUMMARY_CHARS);
  });

  it('caps every field so a huge item cannot exhaust memory', () => {
    const huge = 'Masterson '.repeat(200_000);
    const item = normalizeItem({ title: huge, summary: huge, content: huge }, FEED);
    expect(item.title.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
    expect(item.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(item.content.length).toBeLessThanOrEqual(MAX_CONTENT_CHARS);
    expect(item.content.endsWith('Masterson…')).toBe(true);
  });

  it('resolves a relative link against the feed URL and falls back to a permalink GUID', () => {
    expect(normalizeItem({ title: 'a', link: '/2020/11/krebs' }, FEED).link).toBe(
      'https://cyberscoop.com/2020/11/krebs',
    );
    expect(normalizeItem({ title: 'b', guid: 'https://cyberscoop.com/?p=9' }, FEED).link).toBe(
      'https://cyberscoop.com/?p=9',
    );
    expect(normalizeItem({ title: 'c', guid: 'urn:uuid:1234' }, FEED).link).toBeUndefined();
  });

  it('drops a link that is not http(s)', () => {
    const item = normalizeItem({ title: 'x', link: 'javascript:alert(document.cookie)' }, FEED);
    expect(item.link).toBeUndefined();
    expect(item.canonicalLink).toBeUndefined();
  });

  it('leaves the date out when it cannot be read, and gives empty strings for missing text', () => {
    const item = normalizeItem({ published: 'not a date' }, FEED);
    expect(item).toEqual({ title: '', summary: '', content: '', publisher: 'CyberScoop' });
  });
});
