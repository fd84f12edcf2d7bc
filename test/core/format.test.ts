import { gsm7Length } from '../../lambda/core/channel-text';
import { formatConsole, formatEmail, formatSms, formatSubject } from '../../lambda/core/format';
import { shortestName } from '../../lambda/core/short-name';
import { makeAlert } from '../support/alert-fixture';

// GSM 03.38 written out independently of the implementation: basic set (1 septet) and extension set (2 septets).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€';

function septets(text: string): number {
  let n = 0;
  for (const ch of text) {
    if (GSM_EXTENSION.includes(ch)) n += 2;
    else if (GSM_BASIC.includes(ch)) n += 1;
    else throw new Error(`not GSM-7: U+${ch.codePointAt(0)?.toString(16)} in ${JSON.stringify(text)}`);
  }
  return n;
}

/** SNS Subject rules: ASCII, printable, no line breaks, fewer than 100 characters, starts with letter/number/punct. */
function expectValidSubject(subject: string): void {
  expect(subject).toMatch(/^[\x20-\x7e]+$/);
  expect(subject.length).toBeGreaterThan(0);
  expect(subject.length).toBeLessThan(100);
  expect(subject).toMatch(/^[A-Za-z0-9\p{P}]/u);
}

const HOSTILE_TITLES: Record<string, string> = {
  newlines: 'Krebs fired\r\nBcc: victim@example.com\nSubject: forged',
  controls: 'Krebs\u0000 fired\u0007\u001b[31m red \u009b1m\u007f',
  bidi: 'Krebs \u202ederif\u202c \u2066isolated\u2069 \u200fmark',
  zeroWidth: 'Kr\u200bebs fi\u200d\u2060red\ufeff',
  longWord: 'K'.repeat(10_240),
  html: '<script>alert("x")</script><b>Krebs</b> &amp; CISA',
  emoji: '🔥🔥 Krebs fired 🔥 选举安全',
  separators: 'Krebs\u2028fired\u2029today',
};

describe('formatSubject', () => {
  it('reads "[news-alerts] <entities>: <title>" when everything fits', () => {
    expect(formatSubject(makeAlert({ title: 'Trump fires Krebs' }))).toBe(
      '[news-alerts] Christopher Krebs, CISA: Trump fires Krebs',
    );
  });

  it('straightens curly quotes, folds accents and turns em/en dashes into hyphens', () => {
    const subject = formatSubject(
      makeAlert({ entityNames: ['Brad Raffensperger'], title: 'Raffensperger’s “résumé” — Señor Gabriel – Zoë' }),
    );
    expect(subject).toBe('[news-alerts] Brad Raffensperger: Raffensperger\'s "resume" - Senor Gabriel - Zoe');
  });

  it('drops characters with no ASCII form and folds letters NFKD cannot (ß, ø, ł)', () => {
    const subject = formatSubject(makeAlert({ entityNames: ['CISA'], title: 'Straße Ørsted Łódź 选举 🔥 ok' }));
    expect(subject).toBe('[news-alerts] CISA: Strasse Orsted Lodz ok');
  });

  it.each(Object.entries(HOSTILE_TITLES))('keeps a hostile title (%s) within the SNS Subject rules', (_, title) => {
    expectValidSubject(formatSubject(makeAlert({ title })));
  });

  it('turns line breaks into single spaces so no header line can be forged', () => {
    const subject = formatSubject(makeAlert({ entityNames: ['CISA'], title: HOSTILE_TITLES.newlines }));
    expect(subject).toBe('[news-alerts] CISA: Krebs fired Bcc: victim@example.com Subject: forged');
  });

  it('removes invisible characters without splitting the word they sat in', () => {
    const subject = formatSubject(makeAlert({ entityNames: ['CISA'], title: HOSTILE_TITLES.zeroWidth }));
    expect(subject).toBe('[news-alerts] CISA: Krebs fired');
  });

  it('shortens a long title with "..." at a word boundary and keeps the prefix', () => {
    const title =
      'Election security chief Christopher Krebs fired by tweet after rejecting fraud claims about the vote count';
    const subject = formatSubject(makeAlert({ title }));
    expect(subject.length).toBeLessThan(100);
    expect(subject.startsWith('[news-alerts] Christopher Krebs, CISA: Election security chief')).toBe(true);
    expect(subject.endsWith('...')).toBe(true);
    expect(title).toContain(subject.slice('[news-alerts] Christopher Krebs, CISA: '.length, -3));
    expect(subject.at(-4)).not.toBe(' ');
  });

  it('cuts a 10 kB word hard, since it has no word boundary', () => {
    const subject = formatSubject(makeAlert({ entityNames: ['CISA'], title: HOSTILE_TITLES.longWord }));
    expect(subject).toBe(`[news-alerts] CISA: ${'K'.repeat(99 - 20 - 3)}...`);
  });

  it('summarises a long entity list as the first name and a count', () => {
    const subject = formatSubject(
      makeAlert({
        entityNames: ['Christopher Krebs', 'CISA', 'Matthew Masterson', 'Brad Raffensperger', 'Gabriel Sterling'],
        title: 'Officials defend the vote',
      }),
    );
    expect(subject).toBe('[news-alerts] Christopher Krebs +4: Officials defend the vote');
    // With short names: as many as fit, so every follower sees their entity named.
    const shortened = makeAlert({
      entityNames: ['Cybersecurity and Infrastructure Security Agency', 'Gabriel Sterling'],
      entityShortNames: ['CISA', 'Sterling'],
      title: "'Someone's going to get killed': Georgia election official condemns threats",
    });
    expect(formatSubject(shortened)).toMatch(/^\[news-alerts\] CISA, Sterling: 'Someone's going/);
    expect(formatSms(shortened)).toMatch(/^CISA, Sterling: 'Someone's going/);
  });

  it('names an entity by its shortest name, alias or ambiguous name where room is short', () => {
    expect(
      shortestName({
        name: 'CISA',
        aliases: ['Cybersecurity and Infrastructure Security Agency'],
        ambiguous: ['CISA'],
      }),
    ).toBe('CISA');
    expect(shortestName({ name: 'Christopher Krebs', aliases: ['Chris Krebs'], ambiguous: ['Krebs'] })).toBe('Krebs');
    expect(shortestName({ name: 'Jen Easterly', aliases: ['Jen Easterly'], ambiguous: [] })).toBe('Jen Easterly');
  });

  it('is never empty: a title in another script says where to read it, one with no letters becomes "(untitled)"', () => {
    const subject = formatSubject(makeAlert({ entityNames: ['CISA'], title: '选举安全 🔥\u202e' }));
    expect(subject).toBe('[news-alerts] CISA: (headline in another script: see below)');
    expect(formatSubject(makeAlert({ entityNames: ['CISA'], title: '🔥 \u202e' }))).toBe(
      '[news-alerts] CISA: (untitled)',
    );
  });

  it('sends a headline and names in another script as written, in a Unicode SMS, never as "(untitled)"', () => {
    const alert = makeAlert({
      entities: ['zelenskyy'],
      entityNames: ['Володимир Зеленський'],
      entityShortNames: ['Зеленський'],
      title: 'Зеленський підписав указ про кібербезпеку виборів',
      link: 'https://wire.example.test/zelensky',
    });
    const sms = formatSms(alert);
    expect(sms).toBe(
      'Володимир Зеленський: Зеленський підписав указ про кібербезпеку виборів https://wire.example.test/zelensky',
    );
    expect(sms.length).toBeLessThanOrEqual(134);
    // The subject is ASCII for SNS: the entity by its id.
    expect(formatSubject(alert)).toBe('[news-alerts] zelenskyy: (headline in another script: see below)');
  });
});

describe('formatSms', () => {
  const link = 'https://news.example.test/2020/11/18/krebs-fired';

  it('reads "<entities>: <title> <link>" in one segment', () => {
    const sms = formatSms(makeAlert({ title: 'Trump fires Krebs', link }));
    expect(sms).toBe(`Christopher Krebs, CISA: Trump fires Krebs ${link}`);
  });

  it.each(Object.entries(HOSTILE_TITLES))('stays within 160 GSM-7 septets on one line for a %s title', (_, title) => {
    const sms = formatSms(makeAlert({ title, link }));
    expect(septets(sms)).toBeLessThanOrEqual(160);
    expect(sms).not.toMatch(/[\r\n]/);
    expect(sms.endsWith(` ${link}`)).toBe(true);
  });

  it('shortens the title, never the link, when both do not fit', () => {
    const sms = formatSms(makeAlert({ title: 'word '.repeat(100), link }));
    expect(sms.endsWith(`... ${link}`)).toBe(true);
    expect(septets(sms)).toBeLessThanOrEqual(160);
    expect(septets(sms)).toBeGreaterThan(150);
  });

  it('counts GSM-7 extension characters as two septets', () => {
    const brackets = formatSms(makeAlert({ entityNames: ['CISA'], title: '[]'.repeat(200), link: undefined }));
    expect(septets(brackets)).toBeLessThanOrEqual(160);
    expect(gsm7Length(brackets)).toBe(septets(brackets));
    const plain = formatSms(makeAlert({ entityNames: ['CISA'], title: 'ab'.repeat(200), link: undefined }));
    expect(brackets.length).toBeLessThan(plain.length);
  });

  it('keeps GSM-7 letters such as é and Ñ and transliterates the rest', () => {
    const sms = formatSms(
      makeAlert({ entityNames: ['CISA'], title: 'Café “Señor” façade — naïve `x` 选举 🔥 €5', link: undefined }),
    );
    expect(sms).toBe('CISA: Café "Señor" facade - naive \'x\' €5');
  });

  it('keeps a long link whole and leaves at least a little of the title', () => {
    const longLink = `https://news.example.test/${'a'.repeat(95)}`;
    const sms = formatSms(
      makeAlert({ entityNames: ['CISA'], title: 'Krebs fired by tweet from the president', link: longLink }),
    );
    expect(sms).toBe(`CISA: Krebs fired by tweet from... ${longLink}`);
    expect(septets(sms)).toBe(160 - 4);
  });

  it('leaves out a link too long to fit beside 20 characters of title (documented choice)', () => {
    const hugeLink = `https://news.example.test/${'a'.repeat(150)}`;
    const sms = formatSms(
      makeAlert({ entityNames: ['CISA'], title: 'Krebs fired by tweet from the president', link: hugeLink }),
    );
    expect(sms).toBe('CISA: Krebs fired by tweet from the president');
  });

  it('percent-encodes a backtick in the link, the one URL character GSM-7 lacks', () => {
    const sms = formatSms(makeAlert({ entityNames: ['CISA'], title: 'Krebs', link: 'https://x.test/?q=`a`' }));
    expect(sms).toBe('CISA: Krebs https://x.test/?q=%60a%60');
  });

  it('drops a link that is not http(s)', () => {
    const sms = formatSms(makeAlert({ entityNames: ['CISA'], title: 'Krebs', link: 'javascript:alert(1)' }));
    expect(sms).toBe('CISA: Krebs');
  });
});

describe('formatEmail', () => {
  it('lays out title, entities, publisher, UTC date, link, summary, evidence and footer in that order', () => {
    const body = formatEmail(makeAlert());
    const order = [
      'Trump fires Christopher Krebs, head of election security agency CISA',
      'Entities: Christopher Krebs, CISA',
      'Publisher: Example News',
      'Published: 2020-11-18 01:23 UTC',
      'Link: https://news.example.test/2020/11/18/krebs-fired',
      'The president fired the director of the Cybersecurity and Infrastructure Security Agency on Twitter.',
      'Why this matched:',
      '- Christopher Krebs: "Christopher Krebs" in the title: Trump fires Christopher Krebs',
      '- CISA: "CISA" in the title:',
      'You are receiving this because you subscribed to news-alerts for Christopher Krebs, CISA.',
      'Found in the feed "Example News - Politics" (https://news.example.test/politics.rss).',
      'unsubscribe',
    ];
    let at = -1;
    for (const part of order) {
      const next = body.indexOf(part, at + 1);
      expect({ part, found: next > at }).toEqual({ part, found: true });
      at = next;
    }
    expect(body.split('\n')[0]).toBe('Trump fires Christopher Krebs, head of election security agency CISA');
  });

  it('shows the context that made an ambiguous name count', () => {
    const body = formatEmail(
      makeAlert({
        evidence: [
          {
            entityId: 'krebs',
            phrase: 'Krebs',
            kind: 'ambiguous',
            field: 'summary',
            start: 0,
            end: 5,
            snippet: '...Krebs was fired after the election...',
            context: 'election',
          },
        ],
      }),
    );
    expect(body).toContain(
      '- Christopher Krebs: "Krebs" with "election" in the summary: ...Krebs was fired after the election...',
    );
  });

  it('is plain text: markup in a title or summary comes out as the same inert characters, never as HTML', () => {
    const body = formatEmail(makeAlert({ title: HOSTILE_TITLES.html, summary: '<img src=x onerror=alert(1)>' }));
    expect(body.split('\n')[0]).toBe('<script>alert("x")</script><b>Krebs</b> &amp; CISA');
    expect(body).toContain('\n<img src=x onerror=alert(1)>\n');
    expect(body).not.toMatch(/<html|<body|<br|<p>/i);
  });

  it('keeps a title with line breaks on its one line, so it cannot forge other fields', () => {
    const body = formatEmail(makeAlert({ title: 'Krebs fired\nLink: https://evil.test\r\nPublisher: Evil' }));
    const lines = body.split('\n');
    expect(lines[0]).toBe('Krebs fired Link: https://evil.test Publisher: Evil');
    expect(lines.filter((line) => line.startsWith('Link: '))).toEqual([
      'Link: https://news.example.test/2020/11/18/krebs-fired',
    ]);
  });

  it('strips control, bidi and zero-width characters everywhere', () => {
    const body = formatEmail(
      makeAlert({
        title: HOSTILE_TITLES.bidi,
        summary: 'a\u0000b\u202ec\u200bd\u001b[2Je',
        publisher: 'Pub\u202elisher',
      }),
    );
    expect(body).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(body).toContain('Publisher: Publisher');
    expect(body).toContain('a bcd [2Je');
  });

  it('keeps summary paragraphs but collapses runs of blank lines, and trims it', () => {
    const body = formatEmail(makeAlert({ summary: '  First para.\r\n\r\n\r\n\r\nSecond   para.  \n' }));
    expect(body).toContain('\n\nFirst para.\n\nSecond para.\n\n');
  });

  it('bounds a very long summary with "..."', () => {
    const body = formatEmail(makeAlert({ summary: 'lorem ipsum '.repeat(2000) }));
    const summaryLine = body.split('\n').find((line) => line.startsWith('lorem'));
    expect(summaryLine?.length).toBeLessThanOrEqual(2000);
    expect(summaryLine?.endsWith('...')).toBe(true);
  });

  it('says when the feed gave no date and leaves out a missing publisher or unsafe link', () => {
    const body = formatEmail(
      makeAlert({ publishedAt: undefined, publisher: undefined, link: 'javascript:alert(document.cookie)' }),
    );
    expect(body).toContain('Published: date not given by the feed');
    expect(body).not.toContain('Publisher:');
    expect(body).not.toContain('javascript:');
  });
});

describe('formatConsole', () => {
  it('prints entities and title, then details, link and why it matched on indented lines', () => {
    expect(formatConsole(makeAlert()).split('\n')).toEqual([
      '[Christopher Krebs, CISA] Trump fires Christopher Krebs, head of election security agency CISA',
      '  Example News | 2020-11-18 01:23 UTC | Example News - Politics',
      '  https://news.example.test/2020/11/18/krebs-fired',
      '  why: Christopher Krebs: "Christopher Krebs" in the title: Trump fires Christopher Krebs, head of election security agency CISA',
      '  why: CISA: "CISA" in the title: Trump fires Christopher Krebs, head of election security agency CISA',
    ]);
  });

  it('names the feed only when it is not the publisher (an item without <source> is published under the feed)', () => {
    const ownFeed = makeAlert({ publisher: 'BBC News - US & Canada', feed: 'BBC News - US & Canada' });
    expect(formatConsole(ownFeed).split('\n')[1]).toBe('  BBC News - US & Canada | 2020-11-18 01:23 UTC');
    const noPublisher = makeAlert({ publisher: undefined, publishedAt: undefined, feed: 'CyberScoop' });
    expect(formatConsole(noPublisher).split('\n')[1]).toBe('  CyberScoop');
  });

  it.each(Object.entries(HOSTILE_TITLES))('cannot move the cursor or add lines with a %s title', (_, title) => {
    const out = formatConsole(makeAlert({ title, evidence: [] }));
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(out.split('\n')).toHaveLength(3);
  });
});

describe('stories and the SMS storm guard', () => {
  const link = 'https://news.example.test/2020/12/08/krebs-sues';
  const followUp = {
    title: 'Trump fires election security chief Chris Krebs',
    firstSeenAt: Date.UTC(2020, 10, 18, 0, 25),
  };
  const sues = makeAlert({ title: 'Krebs sues Trump lawyer diGenova', link, followUp });

  it('names the earlier story and its day under the title of a follow-up email, and the other outlets', () => {
    const body = formatEmail({ ...sues, alsoIn: ['AP News', 'The Verge'] });
    const lines = body.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'Krebs sues Trump lawyer diGenova',
      'Follow-up to: Trump fires election security chief Chris Krebs, 18 Nov',
    ]);
    expect(lines).toContain('Also in: AP News, The Verge');
    expect(formatEmail(makeAlert())).not.toMatch(/Follow-up to|Also in/);
  });

  it('keeps a hostile earlier title on its one line in email and terminal', () => {
    const forged = { ...sues, followUp: { ...followUp, title: HOSTILE_TITLES.newlines! } };
    const follow = formatEmail(forged).split('\n')[1];
    expect(follow).toBe('Follow-up to: Krebs fired Bcc: victim@example.com Subject: forged, 18 Nov');
    expect(formatConsole(forged).split('\n')[1]).toBe(`  ${follow}`);
  });

  it("marks an SMS follow-up with the earlier story's day when the whole title still fits", () => {
    expect(formatSms(sues)).toBe(
      `Christopher Krebs, CISA: Krebs sues Trump lawyer diGenova (follow-up, 18 Nov) ${link}`,
    );
    const long = formatSms({ ...sues, title: 'word '.repeat(40) });
    expect(long).not.toContain('follow-up');
    expect(septets(long)).toBeLessThanOrEqual(160);
  });

  it('tells in the next SMS how many alerts were held back and since when, within one segment', () => {
    const since = Date.UTC(2020, 10, 18, 14, 5);
    const sms = formatSms({ ...sues, smsHeldBefore: { count: 3, since } });
    expect(sms.startsWith('[+3 more alerts held since 14:05 UTC] Christopher Krebs, CISA: Krebs sues')).toBe(true);
    expect(sms.endsWith(` ${link}`)).toBe(true);
    const crowded = formatSms({ ...sues, title: 'word '.repeat(40), smsHeldBefore: { count: 1, since } });
    expect(crowded.startsWith('[+1 more alert held since 14:05 UTC] ')).toBe(true);
    expect(septets(crowded)).toBeLessThanOrEqual(160);
    expect(crowded.endsWith(`... ${link}`)).toBe(true);
  });
});
