// parseFeed: RSS/Atom/RDF to raw items, Google News sources, clear parse errors, and hostile XML kept inert.
import * as fs from 'node:fs';
import { FeedError } from '../../lambda/core/feed-error';
import {
  closeTruncatedDocument,
  MAX_ITEMS_PER_FEED,
  parseFeed,
  rootElementName,
  stripDoctype,
} from '../../lambda/core/parse';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

async function parseError(body: string | Uint8Array, contentType?: string): Promise<FeedError> {
  const bytes = typeof body === 'string' ? utf8(body) : body;
  const error = await parseFeed(bytes, contentType).then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(FeedError);
  expect((error as FeedError).code).toBe('parse');
  return error as FeedError;
}

const RSS_2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>CyberScoop</title>
    <link>https://cyberscoop.com</link>
    <item>
      <title>CISA director Chris Krebs fired by Trump</title>
      <link>https://cyberscoop.com/chris-krebs-fired-cisa/?utm_source=rss</link>
      <guid isPermaLink="false">https://cyberscoop.com/?p=51234</guid>
      <pubDate>Tue, 17 Nov 2020 23:59:00 -0500</pubDate>
      <description><![CDATA[<p>The head of <b>CISA</b> was fired&nbsp;by tweet.</p>]]></description>
      <content:encoded><![CDATA[<p>Christopher Krebs, the director of the Cybersecurity and Infrastructure Security Agency, was fired.</p>]]></content:encoded>
    </item>
    <item>
      <title>Second item</title>
      <link>https://cyberscoop.com/second/</link>
    </item>
  </channel>
</rss>`;

describe('parseFeed: feeds that parse', () => {
  it('reads RSS 2.0 items: guid, title, link, description as summary, content:encoded as content, pubDate', async () => {
    const feed = await parseFeed(utf8(RSS_2), 'application/rss+xml; charset=utf-8');
    expect(feed.title).toBe('CyberScoop');
    expect(feed.link).toBe('https://cyberscoop.com');
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toEqual({
      guid: 'https://cyberscoop.com/?p=51234',
      title: 'CISA director Chris Krebs fired by Trump',
      link: 'https://cyberscoop.com/chris-krebs-fired-cisa/?utm_source=rss',
      summary: '<p>The head of <b>CISA</b> was fired&nbsp;by tweet.</p>',
      content:
        '<p>Christopher Krebs, the director of the Cybersecurity and Infrastructure Security Agency, was fired.</p>',
      published: 'Tue, 17 Nov 2020 23:59:00 -0500',
    });
    expect(feed.items[1]).toEqual({ title: 'Second item', link: 'https://cyberscoop.com/second/' });
  });

  it('reads Atom entries: id, alternate link, summary, content, published (updated when not published)', async () => {
    const feed = await parseFeed(
      utf8(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>The Record</title>
  <entry>
    <id>tag:therecord.media,2020:krebs</id>
    <title type="html">Krebs &amp;amp; Stamos launch consultancy</title>
    <link rel="related" href="https://example.com/related"/>
    <link rel="alternate" href="https://therecord.media/krebs-stamos"/>
    <published>2021-01-04T15:00:00Z</published>
    <summary>Former CISA head teams up</summary>
    <content type="html">&lt;p&gt;Full text&lt;/p&gt;</content>
  </entry>
  <entry>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <title>Updated only</title>
    <updated>2021-01-05T10:00:00+01:00</updated>
  </entry>
</feed>`),
    );
    expect(feed.title).toBe('The Record');
    expect(feed.items[0]).toEqual({
      guid: 'tag:therecord.media,2020:krebs',
      title: 'Krebs &amp; Stamos launch consultancy',
      link: 'https://therecord.media/krebs-stamos',
      summary: 'Former CISA head teams up',
      content: '<p>Full text</p>',
      published: '2021-01-04T15:00:00.000Z',
    });
    expect(feed.items[1]?.published).toBe('2021-01-05T09:00:00.000Z');
  });

  it('reads RSS 1.0 (RDF) items and dc:date', async () => {
    const feed = await parseFeed(
      utf8(`<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.org/"><title>RDF feed</title><link>https://example.org/</link></channel>
  <item rdf:about="https://example.org/1">
    <title>Masterson joins Stanford</title>
    <link>https://example.org/1</link>
    <dc:date>2021-03-01T12:00:00Z</dc:date>
  </item>
</rdf:RDF>`),
    );
    expect(feed.items).toEqual([
      { title: 'Masterson joins Stanford', link: 'https://example.org/1', published: '2021-03-01T12:00:00Z' },
    ]);
  });

  it('takes <rss> without a version attribute as RSS 2', async () => {
    const feed = await parseFeed(utf8('<rss><channel><item><title>No version</title></item></channel></rss>'));
    expect(feed.items).toEqual([{ title: 'No version' }]);
  });

  it('keeps the Google News <source url> publisher', async () => {
    const feed = await parseFeed(
      utf8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
  <title>"Chris Krebs" - Google News</title>
  <item>
    <title>Trump fires CISA director Chris Krebs - BBC News</title>
    <link>https://news.google.com/rss/articles/CBMiPmh0dHBzOi8vd3d3LmJiYy5jby51ay9uZXdzL3dvcmxkLXVzLWNhbmFkYS01NTAwMDAwMNIBAA?oc=5</link>
    <guid isPermaLink="false">CBMiPmh0dHBzOi8vd3d3LmJiYy5jby51ay9uZXdzL3dvcmxkLXVzLWNhbmFkYS01NTAwMDAwMNIBAA</guid>
    <pubDate>Wed, 18 Nov 2020 02:16:00 GMT</pubDate>
    <description>&lt;a href="https://news.google.com/rss/articles/CBMi?oc=5" target="_blank"&gt;Trump fires CISA director Chris Krebs&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;BBC News&lt;/font&gt;</description>
    <source url="https://www.bbc.co.uk">BBC News</source>
  </item>
</channel></rss>`),
    );
    expect(feed.items[0]?.source).toEqual({ name: 'BBC News', url: 'https://www.bbc.co.uk' });
    expect(feed.items[0]?.title).toBe('Trump fires CISA director Chris Krebs - BBC News');
    expect(feed.items[0]?.summary).toContain('Trump fires CISA director Chris Krebs</a>&nbsp;&nbsp;<font');
  });

  it('gives a valid feed with no items an empty list', async () => {
    const feed = await parseFeed(utf8('<rss version="2.0"><channel><title>Quiet</title></channel></rss>'));
    expect(feed).toEqual({ title: 'Quiet', items: [] });
    expect((await parseFeed(utf8('<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>'))).items).toEqual(
      [],
    );
  });

  it('gives a well-formed <rss> with no <channel> an empty list', async () => {
    expect(await parseFeed(utf8('<?xml version="1.0"?>\n<rss version="2.0">\n</rss>'))).toEqual({ items: [] });
  });

  it('still reads a feed with a bare & and HTML entities that XML does not define', async () => {
    const feed = await parseFeed(
      utf8(`<rss version="2.0"><channel><item>
        <title>AT&T and CISA&nbsp;&mdash; election security</title>
        <link>https://example.com/a?x=1&y=2</link>
      </item></channel></rss>`),
    );
    expect(feed.items[0]?.title).toBe('AT&T and CISA\u00a0— election security');
    expect(feed.items[0]?.link).toBe('https://example.com/a?x=1&y=2');
  });

  it('keeps the complete items of a feed cut off in transit and drops the cut one', async () => {
    const feed = await parseFeed(
      utf8(`<rss version="2.0"><channel><title>Cut</title>
        <item><title>Complete item</title><link>https://example.com/1</link></item>
        <item><title>Trump fires CISA dir`),
    );
    expect(feed).toEqual({ title: 'Cut', items: [{ title: 'Complete item', link: 'https://example.com/1' }] });
  });

  it('reads a feed whose closing tag lost its last character', async () => {
    const feed = await parseFeed(utf8('<rss version="2.0"><channel><item><title>Last</title></item></channel></rss'));
    expect(feed.items).toEqual([{ title: 'Last' }]);
  });

  it('reads the same fields when only the forgiving parser can read the feed', async () => {
    const strict = await parseFeed(utf8(RSS_2));
    const forgiving = await parseFeed(
      utf8(RSS_2.replace('<title>CyberScoop</title>', '<title>CyberScoop & Co</title>')),
    );
    expect(forgiving.title).toBe('CyberScoop & Co');
    expect(forgiving.items).toEqual(strict.items);
  });

  it('reads Atom entries and Google News sources with the forgiving parser too', async () => {
    const feed = await parseFeed(
      utf8(`<feed xmlns="http://www.w3.org/2005/Atom"><title>A & B</title><entry><id>e1</id><title>Entry</title>
        <link rel="alternate" href="https://example.com/e1"/><published>2021-01-04T15:00:00Z</published></entry></feed>`),
    );
    expect(feed.items).toEqual([
      { guid: 'e1', title: 'Entry', link: 'https://example.com/e1', published: '2021-01-04T15:00:00.000Z' },
    ]);
    const google = await parseFeed(
      utf8(`<rss version="2.0"><channel><title>Q & A</title><item><title>T - BBC News</title>
        <source url="https://www.bbc.co.uk">BBC News</source></item></channel></rss>`),
    );
    expect(google.items[0]?.source).toEqual({ name: 'BBC News', url: 'https://www.bbc.co.uk' });
  });

  it('keeps an item whose Atom date is unreadable, without a date', async () => {
    const feed = await parseFeed(
      utf8(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x1</id><title>Bad date</title>
        <published>sometime last week</published></entry></feed>`),
    );
    expect(feed.items).toEqual([{ guid: 'x1', title: 'Bad date' }]);
  });

  it('parses legacy-charset bytes using the HTTP header', async () => {
    const feed = await parseFeed(
      Buffer.concat([
        utf8('<rss version="2.0"><channel><item><title>Raffensperger'),
        Buffer.from([0x92]),
        utf8('s office</title></item></channel></rss>'),
      ]),
      'text/xml; charset=windows-1252',
    );
    expect(feed.items[0]?.title).toBe('Raffensperger’s office');
  });

  it(`keeps at most ${MAX_ITEMS_PER_FEED} items, the first ones of an undated feed`, async () => {
    const items = Array.from({ length: MAX_ITEMS_PER_FEED + 50 }, (_, i) => `<item><title>Item ${i}</title></item>`);
    const feed = await parseFeed(utf8(`<rss version="2.0"><channel>${items.join('')}</channel></rss>`));
    expect(feed.items).toHaveLength(MAX_ITEMS_PER_FEED);
    expect(feed.items[0]?.title).toBe('Item 0');
  });

  it(`keeps the newest ${MAX_ITEMS_PER_FEED} of a longer feed listed oldest first, so its new items are read`, async () => {
    const items = Array.from(
      { length: MAX_ITEMS_PER_FEED + 50 },
      (_, i) =>
        `<item><title>Item ${i}</title><pubDate>${new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toUTCString()}</pubDate></item>`,
    );
    const feed = await parseFeed(utf8(`<rss version="2.0"><channel>${items.join('')}</channel></rss>`));
    expect(feed.items).toHaveLength(MAX_ITEMS_PER_FEED);
    expect(feed.items.at(-1)?.title).toBe(`Item ${MAX_ITEMS_PER_FEED + 49}`);
    expect(feed.items[0]?.title).toBe('Item 50');
  });

  it('parses feeds concurrently without mixing them up (a fresh parser per call)', async () => {
    const feeds = await Promise.all(
      ['one', 'two', 'three'].map((name) =>
        parseFeed(
          utf8(
            `<rss version="2.0"><channel><title>${name}</title><item><title>${name} item</title></item></channel></rss>`,
          ),
        ),
      ),
    );
    expect(feeds.map((feed) => [feed.title, feed.items[0]?.title])).toEqual([
      ['one', 'one item'],
      ['two', 'two item'],
      ['three', 'three item'],
    ]);
  });
});

describe('parseFeed: clear errors', () => {
  it('rejects an empty body', async () => {
    expect((await parseError(new Uint8Array())).message).toMatch(/empty/);
    expect((await parseError('  \n\t ')).message).toMatch(/not a feed/);
  });

  it('rejects an HTML page', async () => {
    const error = await parseError(
      '<!DOCTYPE html><html><head><title>Sign in</title></head><body><p>Please log in</p></body></html>',
      'text/html; charset=utf-8',
    );
    expect(error.message).toBe('got an HTML page, not an RSS or Atom feed');
  });

  it('rejects XML that is not a feed, naming its root element', async () => {
    expect((await parseError('<?xml version="1.0"?><sitemap><loc>x</loc></sitemap>')).message).toBe(
      'not an RSS or Atom feed (root element <sitemap>)',
    );
  });

  it('rejects JSON and plain text', async () => {
    expect((await parseError('{"items": []}')).message).toMatch(/not a feed/);
  });

  it('rejects XML broken beyond repair, saying where', async () => {
    const error = await parseError('<?xml version="1.0"?>\n<rss version="2.0" <<<<');
    expect(error.message).toBe('invalid XML: Invalid attribute name (line 2)');
  });
});

describe('parseFeed: hostile XML stays inert and bounded', () => {
  // The test timeout is the bound: an expansion or a fetch of an external entity would blow it or the heap.
  it('does not expand a billion-laughs entity bomb', async () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol0 "lol">
  ${levels}
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>Bomb &lol9;</title></item></channel></rss>`;
    const outcome = await parseFeed(utf8(bomb)).catch((error: unknown) => error);
    const text = JSON.stringify(outcome instanceof FeedError ? outcome.message : outcome);
    expect(text.length).toBeLessThan(10_000);
    expect(text).not.toContain('lollol');
  });

  it('does not read external entities (XXE), general or parameter', async () => {
    const passwd = fs.readFileSync('/etc/passwd', 'utf8');
    const firstLine = passwd.split('\n')[0] ?? '';
    expect(firstLine.length).toBeGreaterThan(5);
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY % remote SYSTEM "file:///etc/passwd">
  %remote;
]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>Leak &xxe;</title><description>&xxe;</description></item></channel></rss>`;
    const outcome = await parseFeed(utf8(xxe)).catch((error: unknown) => error);
    const text = JSON.stringify(outcome instanceof FeedError ? outcome.message : outcome);
    expect(text).not.toContain(firstLine);
    expect(text).not.toContain('root:');
  });

  it('ignores a DOCTYPE before a real feed', async () => {
    const feed = await parseFeed(
      utf8(
        '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://site.invalid/"><rss><channel><title>found</title></channel></rss>',
      ),
    );
    expect(feed.title).toBe('found');
  });

  it('reads a deeply nested document without a stack overflow', async () => {
    const depth = 20_000;
    const nested = `<rss version="2.0"><channel><item><title>Deep</title><description>${'<div>'.repeat(depth)}x${'</div>'.repeat(depth)}</description></item></channel></rss>`;
    const outcome = await parseFeed(utf8(nested)).catch((error: unknown) => error);
    expect(outcome instanceof FeedError || (outcome as { items: unknown[] }).items.length === 1).toBe(true);
  });
});

describe('closeTruncatedDocument', () => {
  it.each([
    ['<rss><channel><title>T</title>', '<rss><channel><title>T</title></channel></rss>'],
    [
      '<rss><channel><item><title>ok</title></item><item><title>cu',
      '<rss><channel><item><title>ok</title></item></channel></rss>',
    ],
    [
      '<feed><entry><id>1</id></entry><entry><id>2</id><summary><![CDATA[half',
      '<feed><entry><id>1</id></entry></feed>',
    ],
    ['<rss><channel><!-- a comment that never', '<rss><channel></channel></rss>'],
    ['<rss><channel><image/><title>T</title></channel></rss', '<rss><channel><image/><title>T</title></channel></rss>'],
  ])('%j -> %j', (truncated, repaired) => {
    expect(closeTruncatedDocument(truncated)).toBe(repaired);
  });

  it('leaves a complete document alone', () => {
    expect(closeTruncatedDocument('<rss><channel></channel></rss>')).toBeUndefined();
  });

  it('scans hostile input in linear time', () => {
    const hostile = `<rss>${'<!--<a "<![CDATA[<?'.repeat(50_000)}`;
    expect(closeTruncatedDocument(hostile)).toBe('<rss></rss>');
  });

  it('scans deep nesting and unmatched close tags in linear time (a quadratic scan takes minutes here)', () => {
    const nested = `<rss>${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}`;
    // Compared as booleans: a failure must not print megabytes of tags.
    expect(closeTruncatedDocument(`${nested}<item><title>cut`) === `${nested}</rss>`).toBe(true);
    const unmatched = `<rss>${'<a>'.repeat(200_000)}${'</b>'.repeat(200_000)}`;
    expect(closeTruncatedDocument(unmatched) === `${unmatched}${'</a>'.repeat(200_000)}</rss>`).toBe(true);
  });
});

describe('stripDoctype and rootElementName', () => {
  it.each([
    ['<?xml version="1.0"?>\n<!DOCTYPE rss>\n<rss/>', '<?xml version="1.0"?>\n\n<rss/>'],
    [
      '<!DOCTYPE rss [\n<!ENTITY a "x">\n<!ENTITY b SYSTEM "file:///etc/passwd">\n]>\n<rss>&a;</rss>',
      '\n<rss>&a;</rss>',
    ],
    ['<!-- <!DOCTYPE kept in a comment> --><rss/>', '<!-- <!DOCTYPE kept in a comment> --><rss/>'],
  ])('strips the DOCTYPE from %j', (xml, stripped) => {
    expect(stripDoctype(xml)).toBe(stripped);
  });

  it('drops every entity declaration even when a `]` inside a value ends the subset early', () => {
    const stripped = stripDoctype('<!DOCTYPE rss [<!ENTITY a "]"><!ENTITY b "&a;&a;">]><rss/>');
    expect(stripped).not.toContain('<!ENTITY');
    expect(rootElementName(stripped)).toBe('rss');
  });

  it('scans a hostile prolog in linear time', () => {
    const hostile = '<!DOCTYPE x ['.repeat(100_000);
    expect(stripDoctype(hostile)).toBe(hostile);
    expect(rootElementName(`${'<!-- -->'.repeat(100_000)}<feed>`)).toBe('feed');
  });

  it.each([
    ['<?xml version="1.0"?><!-- c --><?xml-stylesheet href="a"?><rss version="2.0">', 'rss'],
    ['<rdf:RDF xmlns:rdf="x">', 'rdf:rdf'],
    ['\n\n<HTML><body>', 'html'],
    ['just text', undefined],
  ])('finds the root element of %j', (xml, root) => {
    expect(rootElementName(xml)).toBe(root);
  });
});
