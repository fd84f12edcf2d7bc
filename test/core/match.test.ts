// Matcher rules: folding (case, accents, quotes, possessives, hyphens), word boundaries, literal phrases, context,
// excludes, evidence offsets, and one automaton for many entities.
import { compileMatcher, type MatchableItem, type Refusal } from '../../lambda/core/match';
import type { Entity } from '../../lambda/core/types';

function entity(id: string, phrases: Partial<Omit<Entity, 'id' | 'name'>>): Entity {
  return { id, name: id, aliases: [], ambiguous: [], context: [], excludes: [], ...phrases };
}

const KREBS = entity('krebs', {
  aliases: ['Chris Krebs', 'Christopher Krebs', 'Krebs Stamos'],
  ambiguous: ['Krebs'],
  context: ['CISA', 'election'],
  excludes: ['Brian Krebs', 'Krebs cycle'],
});
const MASTERSON = entity('masterson', { ambiguous: ['Masterson'], context: ['election'] });
const STERLING = entity('sterling', { ambiguous: ['Sterling'], context: ['Georgia'] });
const RAFFENSPERGER = {
  ...entity('raffensperger', { aliases: ['Raffensperger', 'Brad Raffensperger'] }),
  name: 'Brad Raffensperger',
};

function ids(entities: Entity[], item: MatchableItem | string): string[] {
  const input = typeof item === 'string' ? { title: item } : item;
  return compileMatcher(entities)
    .match(input)
    .map((match) => match.entityId);
}

describe('folding', () => {
  it.each([
    'RAFFENSPERGER certifies results',
    'raffensperger certifies results',
    'Ráffenspërger certifies results',
    'Raffensperger\u0301 certifies results', // combining accent after the name
    'Ｒａｆｆｅｎｓｐｅｒｇｅｒ certifies results', // fullwidth letters
    'Raf\u00ADfens\u200Bperger certifies results', // soft hyphen and zero-width space inside the word
  ])('ignores case, accents and invisible characters: %s', (title) => {
    expect(ids([RAFFENSPERGER], title)).toEqual(['raffensperger']);
  });

  it('folds accents in the watchlist phrase as well as in the text', () => {
    const muller = entity('muller', { aliases: ['Thomas Müller'] });
    expect(ids([muller], 'THOMAS MULLER scores')).toEqual(['muller']);
    expect(ids([muller], 'Thomas Mu\u0308ller scores')).toEqual(['muller']);
  });

  it('treats curly and straight quotes alike', () => {
    const obrien = entity('obrien', { aliases: ["Pat O'Brien"] });
    expect(ids([obrien], 'Pat O’Brien resigns')).toEqual(['obrien']);
    expect(ids([obrien], 'Pat OBrien resigns')).toEqual([]);
  });

  it.each(['Krebs’s', "Krebs's", 'Krebs’', "Krebs'", 'KREBS’S'])('matches the possessive %s', (form) => {
    expect(ids([KREBS], `${form} warning on election security`)).toEqual(['krebs']);
    expect(ids([KREBS], `Chris ${form} warning`)).toEqual(['krebs']);
  });

  it('applies excludes to possessive forms too', () => {
    expect(ids([KREBS], 'Krebs’s cycle and the election of enzymes')).toEqual([]);
  });

  it.each(['Krebs-Stamos', 'Krebs–Stamos', 'Krebs—Stamos', 'Krebs Stamos', 'Krebs \n Stamos'])(
    'treats hyphens, dashes and runs of whitespace as one space: %s',
    (form) => {
      expect(ids([KREBS], `${form} Group hires`)).toEqual(['krebs']);
    },
  );
});

describe('word boundaries', () => {
  it.each([
    'krebsonsecurity.com reports on election hacks',
    'Krebsbach wins the election',
    'Election night at KrebsOnSecurity',
    'election: DeKrebs',
    'election: Krebs2',
  ])('never matches inside a longer word: %s', (title) => {
    expect(ids([KREBS], title)).toEqual([]);
  });

  it.each([
    '(Krebs) on the election',
    'Krebs, on the election',
    '"Krebs" on the election',
    'Krebs: election',
    '@Krebs election',
    'election#Krebs',
  ])('matches next to punctuation: %s', (title) => {
    expect(ids([KREBS], title)).toEqual(['krebs']);
  });

  it('matches next to non-Latin letters only when they are not letters', () => {
    expect(ids([RAFFENSPERGER], 'Raffenspergerовский')).toEqual([]);
    expect(ids([RAFFENSPERGER], 'Raffensperger😀')).toEqual(['raffensperger']);
  });
});

describe('phrases are literal text', () => {
  const literal = entity('literal', { aliases: ['a(b', 'c[d]', 'e\\f', 'g*h', 'C++', 'x.y', '^z$'] });

  it.each(['a(b', 'c[d]', 'e\\f', 'g*h', 'C++', 'x.y', '^z$'])('matches %s as written', (phrase) => {
    expect(ids([literal], `see ${phrase} here`)).toEqual(['literal']);
  });

  it.each(['ab', 'cd', 'ggggh', 'h', 'C', 'xzy', 'z'])('does not treat the phrases as patterns: %s', (text) => {
    expect(ids([literal], `see ${text} here`)).toEqual([]);
  });

  it('needs no boundary on a side that ends in punctuation', () => {
    expect(ids([literal], 'C++17 released')).toEqual(['literal']);
  });
});

describe('ambiguous terms and context', () => {
  it('counts an ambiguous term only with a context phrase somewhere in the item', () => {
    expect(ids([KREBS], 'Krebs speaks at conference')).toEqual([]);
    expect(ids([KREBS], { title: 'Krebs speaks at conference', summary: 'On election night...' })).toEqual(['krebs']);
    expect(ids([KREBS], { title: 'Krebs speaks', content: 'He led CISA until 2020.' })).toEqual(['krebs']);
  });

  it('needs the context as a whole phrase too', () => {
    expect(ids([KREBS], 'Krebs speaks about reelection')).toEqual([]);
  });

  it('counts aliases without any context', () => {
    expect(ids([KREBS], 'Chris Krebs speaks at conference')).toEqual(['krebs']);
  });

  it('takes context only from the entity it belongs to', () => {
    const sterling = entity('sterling', { ambiguous: ['Sterling'], context: ['Georgia'] });
    expect(ids([KREBS, sterling], 'Sterling and Krebs on the election')).toEqual(['krebs']);
    expect(ids([KREBS, sterling], 'Sterling and Krebs in Georgia')).toEqual(['sterling']);
  });
});

describe('excludes', () => {
  it('never lets an exclude span a dash between clauses, and keeps hyphenated names whole', () => {
    const sterling = { ...STERLING, excludes: ['sterling record', 'Sterling Heights'] };
    expect(ids([sterling], "Sterling — record turnout shows voters trust Georgia's system")).toEqual(['sterling']);
    expect(ids([sterling], 'Sterling - record turnout in Georgia')).toEqual(['sterling']);
    expect(ids([sterling], 'Sterling—record turnout in Georgia')).toEqual(['sterling']);
    expect(ids([sterling], 'Sterling record label opens Georgia office')).toEqual([]);
    expect(ids([sterling], 'Sterling-Heights man wins Georgia lottery')).toEqual([]);
    expect(ids([sterling], 'Sterling–Heights man wins Georgia lottery')).toEqual([]);
    expect(ids([KREBS], 'Krebs–Stamos hires analyst')).toEqual(['krebs']);
    expect(ids([KREBS], 'Krebs-Stamos hires analyst')).toEqual(['krebs']);
  });

  it('suppresses hits inside an exclude', () => {
    expect(ids([KREBS], 'Brian Krebs on election security')).toEqual([]);
    expect(ids([KREBS], 'The Krebs cycle and CISA')).toEqual([]);
  });

  it('suppresses ambiguous hits elsewhere in an item that mentions the look-alike', () => {
    expect(ids([KREBS], { title: 'Brian Krebs on election phishing', summary: 'Krebs found 40 fake sites.' })).toEqual(
      [],
    );
  });

  it('lets a bare term elsewhere in that item count only with a context phrase right beside it', () => {
    expect(ids([KREBS], { title: 'Brian Krebs interviews CISA’s Krebs' })).toEqual(['krebs']);
    expect(ids([KREBS], { title: 'Brian Krebs on phishing', summary: 'Krebs, CISA and the election.' })).toEqual([]);
    const [match] = compileMatcher([KREBS]).match({ title: 'Krebs cycle quiz', summary: 'Ask CISA Krebs' });
    expect(match!.evidence).toMatchObject([{ field: 'summary', phrase: 'Krebs', context: 'CISA' }]);
  });

  it('keeps an exclude of one entity from silencing another entity, or its own term at another place', () => {
    const cisa = entity('cisa', {
      ambiguous: ['CISA'],
      context: ['Krebs'],
      excludes: ['Cybersecurity Information Sharing Act'],
    });
    const title = 'CISA’s Krebs urges Congress to renew the Cybersecurity Information Sharing Act';
    expect(ids([KREBS, cisa], title)).toEqual(['krebs', 'cisa']);
  });

  it('ignores context phrases that lie inside an exclude', () => {
    const sterling = entity('sterling', { ambiguous: ['Sterling'], context: ['Georgia'], excludes: ['Georgia Tech'] });
    expect(ids([sterling], 'Georgia Tech hires coach Sterling')).toEqual([]);
    expect(ids([sterling], 'Georgia’s Sterling praises Georgia Tech')).toEqual(['sterling']);
  });

  it('still counts aliases outside the exclude', () => {
    const [match] = compileMatcher([KREBS]).match({ title: 'Brian Krebs interviews Chris Krebs about the election' });
    expect(match?.evidence.map((evidence) => evidence.phrase)).toEqual(['Chris Krebs']);
  });

  it('suppresses an abbreviation that follows its long form', () => {
    const cisa = entity('cisa', {
      ambiguous: ['CISA'],
      context: ['agency', 'Congress'],
      excludes: ['Cybersecurity Information Sharing Act', 'Sharing Act (CISA)'],
    });
    expect(ids([cisa], 'Congress renews the Cybersecurity Information Sharing Act (CISA)')).toEqual([]);
    expect(ids([cisa], 'Congress questions CISA about the agency budget')).toEqual(['cisa']);
  });
});

describe('other people with the same surname', () => {
  it.each([
    'Minnesota farmer Tom Krebs on the election',
    'county clerk Jim Krebs, CISA and the election',
    'Hometown hero Paul Krebs’s take on the election',
    'Dr. Krebs on the election',
    'Dr Krebs on the election',
    'DR. KREBS ON THE ELECTION',
    'Prof. Krebs on the election',
  ])('does not count a surname after another given name or an honorific: %s', (title) => {
    expect(ids([KREBS], title)).toEqual([]);
  });

  it.each([
    'Trump Fires Krebs Over Election', // Title Case: every word is capitalized
    'TRUMP FIRES KREBS OVER ELECTION',
    'CISA Director Krebs on the election', // a title, not a given name
    'Former Krebs aide on the election', // the first word is capitalized anyway
    'Election: Defiant Krebs speaks',
    'On Tuesday Krebs spoke about the election',
    'Mr. Krebs on the election',
    'Sen. Warner and Krebs on the election',
    'Election notes. Yesterday Krebs spoke',
  ])('still counts the surname after a title, a day, a sentence start or in Title Case: %s', (title) => {
    expect(ids([KREBS], title)).toEqual(['krebs']);
  });

  it('takes a context phrase right before the surname for a title or place, not a given name', () => {
    const sterling = entity('sterling', { ambiguous: ['Sterling'], context: ['Georgia'] });
    expect(ids([sterling], 'Officials in Georgia Sterling trusts say the count is done')).toEqual(['sterling']);
    expect(ids([sterling], 'Georgia Southern signs receiver Jalen Sterling')).toEqual([]);
  });

  it('reads a headline-opening place or employer without its comma as no given name, but a given name as one', () => {
    expect(ids([KREBS], 'On Capitol Hill Krebs finds few election allies')).toEqual(['krebs']);
    expect(ids([MASTERSON], 'At Microsoft Masterson found a new front in the election wars')).toEqual(['masterson']);
    expect(ids([MASTERSON], 'At Tom Masterson’s farm, election day is quiet')).toEqual([]);
    expect(ids([MASTERSON], 'Officials at Microsoft Masterson election team meet')).toEqual([]);
    // An opening time, or a month after a preposition, is no given name either.
    expect(ids([STERLING], 'By Election Day Sterling expects 5 million ballots in Georgia')).toEqual(['sterling']);
    expect(ids([STERLING], 'Despite Helene Sterling says every Georgia county will open polls')).toEqual(['sterling']);
    expect(ids([RAFFENSPERGER], "Starting in June Raffensperger's office will purge inactive voters")).toEqual([
      'raffensperger',
    ]);
    expect(ids([RAFFENSPERGER], "Officials say June Raffensperger's bakery will close")).toEqual([]);
    // A town named like a person, or a time before an event, still opens the headline.
    expect(ids([KREBS], 'In Austin Krebs tells SXSW crowd AI will test the election')).toEqual(['krebs']);
    expect(ids([MASTERSON], 'A year after Helene Masterson says election offices lack backup power')).toEqual([
      'masterson',
    ]);
  });

  it('reads a later bare surname in that item as the same other person', () => {
    expect(ids([KREBS], { title: 'Farmer Tom Krebs wins award', summary: 'Krebs thanked election staff.' })).toEqual(
      [],
    );
    expect(ids([KREBS], { title: 'Farmer Tom Krebs wins award', summary: 'He thanked CISA Krebs.' })).toEqual([
      'krebs',
    ]);
  });

  it.each([
    'Sheriff Masterson warns of election scams',
    'Judge Krebs rules on the election case',
    'Linda Krebs, a retired teacher, joins the election board', // a common given name, even starting a sentence
    'Linda Krebs Wins Election Board Seat', // and in Title Case
  ])('does not count a surname after an office none of them holds or a common given name: %s', (title) => {
    expect(ids([KREBS, MASTERSON], title)).toEqual([]);
  });

  it.each([
    'Krebs Auto Group sponsors the election debate',
    'Masterson Station Park hosts an election forum',
    'Sterling Infrastructure wins Georgia data center contract',
  ])('does not count a surname followed by another name part (a company, place or person): %s', (title) => {
    expect(ids([KREBS, MASTERSON, STERLING], title)).toEqual([]);
  });

  it.each([
    ['Krebs Senate testimony revives fight over 2020 election', ['krebs']],
    ['Sterling Capitol briefing on Georgia voter rolls turns testy', ['sterling']],
    ['Why Raffensperger Republicans are nervous', ['raffensperger']],
    ['Raffensperger State Election Board feud heads to court', ['raffensperger']],
  ])(
    'counts a surname that modifies a legislature, a party or a state body (no company is named so): %s',
    (title, expected) => {
      expect(ids([KREBS, STERLING, RAFFENSPERGER], title)).toEqual(expected);
    },
  );

  it.each([
    ['Krebs Netflix interview on the election draws fresh fire', ['krebs']],
    ['Krebs Black Hat keynote: the election is the target', ['krebs']],
    ['Raffensperger Kemp rift deepens over election board', ['raffensperger']],
    ['Raffensperger Emory speech interrupted by protesters', ['raffensperger']],
    ['Sterling Rotary Club speech on Georgia poll workers', ['sterling']],
    ['Raffensperger Christmas card takes swipe at election deniers', ['raffensperger']],
    ['Raffensperger Hurricane Helene update: polling places moved in 12 counties', ['raffensperger']],
    ['Raffensperger Lyft deal gives free rides to the polls', ['raffensperger']],
    ['Krebs Stanford lecture: the next election attack will come through AI', ['krebs']],
    ['The Raffensperger Trump phone call, five years later', ['raffensperger']],
    ['Raffensperger Macon campaign stop draws hecklers', ['raffensperger']],
  ])(
    'counts a surname before a name and what the person did there (a company or place ends otherwise): %s',
    (title, expected) => {
      expect(ids([KREBS, STERLING, RAFFENSPERGER], title)).toEqual(expected);
    },
  );

  it("reads a possessive after a surname as a noun of its own, not a name part, and still refuses the company's", () => {
    expect(ids([RAFFENSPERGER], "Is Raffensperger Georgia's best hope against Jones?")).toEqual(['raffensperger']);
    expect(ids([RAFFENSPERGER], 'Is Raffensperger Georgia the best hope against Jones?')).toEqual([]);
    expect(ids([RAFFENSPERGER], 'Raffensperger Farms opens corn maze')).toEqual([]);
  });

  it("reads a possessive inside an exclude of the word's common use as a person's ('Sterling's record'), not a name's", () => {
    const adjective = { ...STERLING, excludes: [...STERLING.excludes, 'sterling record'] };
    expect(ids([adjective], "Sterling's record on voter rolls comes under fire in Georgia")).toEqual(['sterling']);
    expect(ids([adjective], 'A sterling record on voter rolls in Georgia')).toEqual([]);
    const outlet = { ...STERLING, excludes: [...STERLING.excludes, 'Sterling Review'] };
    expect(ids([outlet], "Sterling's Review: Georgia voter rolls")).toEqual([]);
  });

  it('reads a relative after a comma or a grandparent as a relative, not a look-alike', () => {
    expect(ids([MASTERSON], 'Masterson and his wife, Jennifer Masterson, give to election workers fund')).toEqual([
      'masterson',
    ]);
    expect(ids([STERLING], 'Sterling and grandmother Ruth Sterling, 94, vote early in Georgia')).toEqual(['sterling']);
    expect(ids([STERLING], 'Ruth Sterling, 94, votes early in Georgia')).toEqual([]);
  });

  it('reads a show or another person before the surname and what the person did there as no given name', () => {
    expect(ids([MASTERSON], "Face the Nation Masterson interview: 'Paper is the election backstop'")).toEqual([
      'masterson',
    ]);
    expect(ids([KREBS], 'Inside the Musk Krebs feud over election data')).toEqual(['krebs']);
    expect(ids([STERLING], 'What the Kemp Sterling alliance means for the Georgia runoff')).toEqual(['sterling']);
    // A common given name is still someone else's, and so is any other capitalized word before a plain verb.
    expect(ids([MASTERSON], 'Tom Masterson interview: the election from a poll worker’s seat')).toEqual([]);
    expect(ids([KREBS], 'Inside the Musk Krebs home on election night')).toEqual([]);
    // After a walk of life the capitalized word is a given name: "actress Mindy Sterling interview".
    expect(ids([STERLING], 'Austin Powers actress Mindy Sterling interview on Georgia voting')).toEqual([]);
    expect(
      ids([KREBS, MASTERSON], "Face the Nation Krebs, Masterson reunion: 'We would do the election again'"),
    ).toEqual(['krebs', 'masterson']);
  });

  it('reads an honorific that is also a verb after a modal as the verb, in Title Case too', () => {
    expect(ids([STERLING], 'Georgia Will Miss Sterling')).toEqual(['sterling']);
    expect(ids([STERLING], 'Georgia Honors Miss Sterling')).toEqual([]);
  });

  it('reads a short given name before the surname as another person', () => {
    expect(ids([STERLING], "Kim Sterling named Georgia Power's chief security officer")).toEqual([]);
    expect(ids([KREBS], "Jeff Krebs named Iowa's chief election cybersecurity official")).toEqual([]);
  });

  it('reads a relative after a list or a description as a relative, and a quoted nickname as the person', () => {
    expect(ids([KREBS], 'Krebs cheers as sons Jack and Luke Krebs win election-night debate')).toEqual(['krebs']);
    expect(ids([STERLING], "Sterling's daughter, 12-year-old Emily Sterling, sings anthem in Georgia")).toEqual([
      'sterling',
    ]);
    expect(ids([RAFFENSPERGER], "'Coach Raffensperger' mentors Johns Creek robotics team")).toEqual(['raffensperger']);
    expect(ids([RAFFENSPERGER], 'Coach Raffensperger mentors Johns Creek robotics team')).toEqual([]);
    expect(ids([RAFFENSPERGER], 'Last June Raffensperger moved to drop inactive voters')).toEqual(['raffensperger']);
    // A kin word capitalized is a name's part, an organization's: no relative.
    expect(ids([KREBS], 'Lehman Brothers analyst Tom Krebs on election markets')).toEqual([]);
    // Only a coach's title in quotes is a nickname: "Dr. Krebs" in quotes is still a doctor.
    expect(ids([KREBS], '"Dr. Krebs" podcast on election anxiety among voters')).toEqual([]);
  });

  it('reads an exclude written as a name with a word of it in lower case as no name', () => {
    const chase = { ...MASTERSON, excludes: ['Chase Masterson'] };
    expect(ids([chase], 'Election deniers chase Masterson from town hall')).toEqual(['masterson']);
    expect(ids([chase], 'Chase Masterson stars in election thriller')).toEqual([]);
    const blog = { ...KREBS, excludes: ['Krebs on Security'] };
    expect(ids([blog], 'Krebs on security in the age of election AI agents')).toEqual(['krebs']);
    expect(ids([blog], 'Krebs on Security: election scammers target voters')).toEqual([]);
  });

  it('reads a verb as a verb, a party or a people as no given name, a date as no name part, a relative as no look-alike', () => {
    const context = { ...KREBS, context: [...KREBS.context, 'colleagues'] };
    expect(ids([context], 'History will judge Krebs kindly, former colleagues say')).toEqual(['krebs']);
    expect(ids([context], 'Judge Krebs rules on the case, colleagues say')).toEqual([]);
    expect(ids([STERLING], 'Georgia Republican Sterling rejects election fraud claims')).toEqual(['sterling']);
    expect(ids([STERLING], 'Sterling Jan. 6 deposition on the Georgia election released')).toEqual(['sterling']);
    expect(ids([MASTERSON], 'Masterson and wife Sarah Masterson on election threats')).toEqual(['masterson']);
    expect(ids([MASTERSON], 'Sarah Masterson on election threats')).toEqual([]);
  });

  it('counts a surname before or after a word of its own news, which says whose it is', () => {
    const krebs = { ...KREBS, context: [...KREBS.context, 'Stanford'], topics: ['Trump'] };
    expect(ids([krebs], 'Krebs Stanford speech on the election draws a standing ovation')).toEqual(['krebs']);
    expect(ids([krebs], 'What the Trump Krebs order means for election security')).toEqual(['krebs']);
    // Without those words the same capitals are another name part, or a given name.
    expect(ids([KREBS], 'Krebs Stanford program on the election draws a crowd')).toEqual([]);
    expect(ids([KREBS], 'What the Trump Krebs order means for election security')).toEqual([]);
  });

  it('never reads a capitalized word before an acronym as its given name', () => {
    const cisa = entity('cisa', { ambiguous: ['CISA'], context: ['election'] });
    expect(ids([cisa], 'Senators grill Trump CISA pick over election role')).toEqual(['cisa']);
    expect(ids([cisa], 'Republicans sour on Noem CISA cuts before the election')).toEqual(['cisa']);
    expect(ids([cisa], 'Dr. CISA on the election')).toEqual([]);
  });

  it.each([
    ['Krebs Tuesday said the election was secure', ['krebs']], // a day, not a name part
    ['Sterling Says Georgia Count Is Done', ['sterling']], // Title Case
  ])('still counts the surname before a day or in Title Case: %s', (title, expected) => {
    expect(ids([KREBS, STERLING], title)).toEqual(expected);
  });

  it('does not count a name written in lower case where the text capitalizes others, unless all of it is lower case', () => {
    expect(ids([STERLING], 'Traders sell sterling before the Georgia vote')).toEqual([]);
    expect(ids([STERLING], 'sterling says the georgia count is done')).toEqual(['sterling']);
  });

  it('leaves aliases alone', () => {
    expect(ids([KREBS], 'Dr. Chris Krebs speaks')).toEqual(['krebs']);
    expect(ids([KREBS], { title: 'Chris Krebs speaks', summary: 'Krebs on the election' })).toEqual(['krebs']);
  });

  it.each([
    'Ohio wrestler Tom Raffensperger pins his rival',
    'Dr. Raffensperger opens a dental practice',
    'Raffensperger Farms opens corn maze for fall season',
  ])('does not count a one-word alias after another given name or before another name part: %s', (title) => {
    expect(ids([RAFFENSPERGER], title)).toEqual([]);
  });

  it.each([
    'Georgia Secretary of State Raffensperger certifies the results', // titles, not given names
    'Brad Raffensperger certifies the results',
    'Raffensperger Says Georgia Count Is Done', // Title Case
    'Georgia sheriff says raffensperger certified the results', // lower case: still the alias
  ])('still counts a one-word alias after a title, its own given name or in Title Case: %s', (title) => {
    expect(ids([RAFFENSPERGER], title)).toEqual(['raffensperger']);
  });

  it("never takes the tracked person's own given name for someone else's, nor a company's alias for a surname", () => {
    const smith = entity('smith', { aliases: ['Smith'] });
    expect(ids([{ ...smith, name: 'John Smith' }], 'John Smith resigns')).toEqual(['smith']);
    expect(ids([{ ...smith, name: 'Jane Smith' }], 'John Smith resigns')).toEqual([]);
    const microsoft = { ...entity('microsoft', { aliases: ['Microsoft'] }), name: 'Microsoft Corporation' };
    expect(ids([microsoft], 'Microsoft Teams outage hits schools')).toEqual(['microsoft']);
  });
});

describe('evidence', () => {
  it('points at the phrase in the original text, whatever folding did before it', () => {
    const title = 'Ｂｒéａｋｉｎｇ 😀 — “ﬁred”:\u00A0\u00A0 Trump fires CHRIS\u00A0\u00A0KRE\u00ADBS’s boss';
    const [match] = compileMatcher([KREBS]).match({ title });
    const [evidence] = match!.evidence;
    expect(title.slice(evidence!.start, evidence!.end)).toBe('CHRIS\u00A0\u00A0KRE\u00ADBS');
    expect(evidence).toMatchObject({ entityId: 'krebs', phrase: 'Chris Krebs', kind: 'alias', field: 'title' });
  });

  it('names the field, the context that made an ambiguous hit count, and a snippet', () => {
    const content = `${'Lorem ipsum dolor sit amet. '.repeat(10)}Yesterday Krebs told reporters the vote was safe. ${'More filler text here. '.repeat(10)}`;
    const [match] = compileMatcher([KREBS]).match({ title: 'After the election', content });
    expect(match!.evidence).toHaveLength(1);
    const evidence = match!.evidence[0]!;
    expect(evidence).toMatchObject({ field: 'content', kind: 'ambiguous', phrase: 'Krebs', context: 'election' });
    expect(content.slice(evidence.start, evidence.end)).toBe('Krebs');
    expect(evidence.snippet).toMatch(/^….*Yesterday Krebs told reporters the vote was safe\..*…$/);
    expect(evidence.snippet.length).toBeLessThanOrEqual(2 * 60 + 'Krebs'.length + 2);
  });

  it('lists every hit in field and text order, without repeating a name inside a longer alias', () => {
    const [match] = compileMatcher([RAFFENSPERGER]).match({
      title: 'Brad Raffensperger speaks',
      summary: 'Raffensperger said... Later Raffensperger added',
    });
    expect(match!.evidence.map(({ field, phrase, start }) => [field, phrase, start])).toEqual([
      ['title', 'Brad Raffensperger', 0],
      ['summary', 'Raffensperger', 0],
      ['summary', 'Raffensperger', 28],
    ]);
  });

  it('keeps the whole text when it is short', () => {
    const [match] = compileMatcher([RAFFENSPERGER]).match({ title: 'Raffensperger wins' });
    expect(match!.evidence[0]!.snippet).toBe('Raffensperger wins');
  });
});

describe('many entities in one automaton', () => {
  const many = Array.from({ length: 2000 }, (_, index) =>
    entity(`person-${index}`, {
      aliases: [`Firstname${index} Lastname${index}`, `Agency Number ${index}`],
      ambiguous: [`Lastname${index}`],
      context: ['election'],
      excludes: [`Lastname${index} cycle`],
    }),
  );
  const matcher = compileMatcher(many);

  it('finds exactly the entities named, in watchlist order, whatever the text order', () => {
    const found = matcher.match({
      title: 'Agency Number 1500 and Firstname7 Lastname7 meet',
      summary: 'Also present: agency number 15, and Lastname999 after the election. Lastname42 cycle.',
    });
    expect(found.map((match) => match.entityId)).toEqual(['person-7', 'person-15', 'person-999', 'person-1500']);
  });

  it('finds nothing in text that names none of them', () => {
    expect(matcher.match({ title: 'Agency Number One', summary: 'Lastname and Firstname', content: '' })).toEqual([]);
  });

  it('gives each entity its own evidence when several share a phrase', () => {
    const shared = [entity('a', { aliases: ['Joint Task Force'] }), entity('b', { aliases: ['joint task force'] })];
    const found = compileMatcher(shared).match({ title: 'The Joint Task Force' });
    expect(found).toEqual([
      { entityId: 'a', evidence: [expect.objectContaining({ entityId: 'a', phrase: 'Joint Task Force', start: 4 })] },
      { entityId: 'b', evidence: [expect.objectContaining({ entityId: 'b', phrase: 'joint task force', start: 4 })] },
    ]);
  });

  it('matches nothing with no entities', () => {
    expect(compileMatcher([]).match({ title: 'Chris Krebs' })).toEqual([]);
  });
});

describe('why a name did not count (refusals, for match --explain)', () => {
  const refusals = (entities: Entity[], title: string) => {
    const found: Refusal[] = [];
    const matches = compileMatcher(entities).match({ title }, { refusals: found });
    return { matched: matches.map((match) => match.entityId), reasons: found.map((r) => r.reason) };
  };

  it('names the rule that held each name back, and nothing for a name that counted', () => {
    expect(refusals([MASTERSON], 'Masterson wins the county fair')).toEqual({
      matched: [],
      reasons: ['no-context-no-profile'],
    });
    expect(refusals([KREBS], 'Brian Krebs and Krebs again')).toEqual({ matched: [], reasons: ['lookalike-named'] });
    expect(refusals([KREBS], 'Krebs cycle explained')).toEqual({ matched: [], reasons: ['inside-exclude'] });
    expect(refusals([MASTERSON], 'Masterson speaks on election night')).toEqual({
      matched: ['masterson'],
      reasons: [],
    });
  });

  it('costs nothing when no one asks: the same matches without the list', () => {
    const title = 'Masterson wins the county fair as Krebs cycle lectures resume';
    expect(compileMatcher([KREBS, MASTERSON]).match({ title })).toEqual(
      compileMatcher([KREBS, MASTERSON]).match({ title }, { refusals: [] }),
    );
  });
});

describe('a one-word surname alias after a given name that is also a word', () => {
  it('is someone else in the middle of a sentence, and still the official at its start or after a non-name', () => {
    const raffensperger = [RAFFENSPERGER];
    expect(ids(raffensperger, 'Penn State Health names Mark Raffensperger chief information security officer')).toEqual(
      [],
    );
    expect(ids(raffensperger, 'Ellen Raffensperger wins a York school board seat')).toEqual([]);
    // At a sentence's start a capital says nothing: "Will" asks a question about the official.
    expect(ids(raffensperger, 'Will Raffensperger run for governor?')).toEqual(['raffensperger']);
    expect(ids(raffensperger, 'Judge: Grant Raffensperger more time to certify')).toEqual(['raffensperger']);
    expect(ids(raffensperger, 'Trump Raffensperger call tape released')).toEqual(['raffensperger']);
    expect(ids(raffensperger, 'Secretary of State Raffensperger certifies results')).toEqual(['raffensperger']);
    // Title Case capitalizes every word, so "Mark" there may be the verb.
    expect(ids(raffensperger, 'Voters Mark Raffensperger Win With Record Turnout')).toEqual(['raffensperger']);
  });
});
