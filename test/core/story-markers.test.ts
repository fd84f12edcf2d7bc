// A new development in its story's own words: a repeat ("again", "second", "more"), the other chamber or court, a turn of the procedure.
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { type StoryContext, storyContext } from '../../lambda/core/story-context';
import { joinEvidence } from '../../lambda/core/story-evidence';
import {
  chambers,
  counties,
  courts,
  direction,
  headlineNumbers,
  negated,
  repeatMarkers,
  stance,
} from '../../lambda/core/story-markers';
import { storySignature } from '../../lambda/core/story-terms';
import { statesNamed } from '../../lambda/core/story-words';
import { TermRarity } from '../../lambda/core/term-rarity';
import type { Entity } from '../../lambda/core/types';
import { defaultStoryContext } from '../support/story-stream';

/** Whether `later` joins the story started by `first` (its only item), in a story context. */
const joinsIn = (within: StoryContext) => (first: string, later: string) => {
  const story = storySignature({ title: first });
  return joinEvidence(storySignature({ title: later }), story, story, within);
};
const context = defaultStoryContext();
const joins = joinsIn(context);
/** The default watchlist's story context with entities a user added: [id, name, aliases]. */
const withAdded = (...added: [string, string, string[]][]) =>
  storyContext([
    ...loadWatchlist().entities,
    ...added.map(([id, name, aliases]): Entity => ({ id, name, aliases, ambiguous: [], context: [], excludes: [] })),
  ]);

describe('repeat markers', () => {
  it('reads ordinals, "again", "another", "more" (not "more than") and "new" from a headline', () => {
    expect(repeatMarkers('CISA adds three more actively exploited flaws to KEV catalog')).toEqual(['more']);
    expect(repeatMarkers('CISA cuts more than 130 jobs in first round of layoffs')).toEqual([]);
    expect(repeatMarkers('Trump campaign files 2nd lawsuit against Raffensperger')).toEqual(['second']);
    expect(repeatMarkers('Chris Krebs testifies again before another panel')).toEqual(['again', 'another']);
    expect(repeatMarkers('Raffensperger rejects new Trump demand')).toEqual(['new']);
  });

  it("keeps a repeat of the story's act from joining it, while a retelling that repeats nothing still joins", () => {
    const first = 'CISA adds actively exploited flaw to KEV catalog';
    expect(joins(first, 'CISA adds three more actively exploited flaws to KEV catalog')).toMatchObject({
      joins: false,
      newActs: expect.arrayContaining(['more']),
    });
    expect(
      joins(
        'Georgia begins hand recount of presidential ballots',
        'Georgia begins second recount of presidential ballots',
      ),
    ).toMatchObject({ joins: false });
    expect(
      joins('Georgia recount confirms Biden win', 'Georgia recount confirms Biden win for third time'),
    ).toMatchObject({ joins: false });
    // A story that already says "second" is joined by another report of the second one.
    expect(joins('Georgia begins second recount of ballots', 'Second recount of Georgia ballots begins')).toMatchObject(
      { joins: true },
    );
  });
});

describe('legislative chambers', () => {
  it('reads House, Senate and Assembly, never the White House', () => {
    expect(chambers('Krebs to testify before House Homeland Security Committee')).toEqual(['house', 'house committee']);
    expect(chambers('White House revokes Krebs clearance')).toEqual([]);
    expect(chambers('Georgia Senate passes bill; House to vote next')).toEqual([
      'house',
      'senate',
      'senate floor',
      'state senate',
    ]);
    expect(chambers("Krebs's Senate testimony delayed")).toEqual(['senate']);
    expect(chambers('Schmidt testifies before U.S. Senate panel')).toEqual(['senate', 'senate committee', 'us senate']);
  });

  it("keeps a committee's vote and the chamber's, or a state's chamber and Congress's, apart", () => {
    expect(
      joins(
        'Arizona Senate committee approves Hobbs pick for health director',
        'Arizona Senate approves Hobbs pick for health director',
      ),
    ).toMatchObject({ joins: false, otherPlaces: ['senate floor'] });
    expect(
      joins(
        'Al Schmidt testifies before Pennsylvania Senate on election threats',
        'Al Schmidt testifies before U.S. Senate on election threats',
      ),
    ).toMatchObject({ joins: false, otherPlaces: ['us senate'] });
    // A chamber named as where it happened says neither: the same hearing.
    expect(
      joins(
        'Senate panel postpones Krebs testimony on election security',
        "CISA director Krebs's Senate testimony postponed",
      ),
    ).toMatchObject({ joins: true });
  });

  it("keeps the other chamber's hearing or vote from joining the first one", () => {
    expect(
      joins(
        'Gabriel Sterling testifies before Georgia Senate panel on election fraud claims',
        'Gabriel Sterling testifies before Georgia House panel on election fraud claims',
      ),
    ).toMatchObject({ joins: false, otherPlaces: ['house', 'house committee', 'state house'] });
  });
});

describe('courts', () => {
  it('reads the level of a court and the place it sits from the words before "judge" or "court"', () => {
    expect(courts('Fulton judge dismisses voter roll lawsuit against Raffensperger', false)).toEqual([
      'fulton court',
      'state court',
    ]);
    expect(courts('U.S. judge blocks CISA layoffs', false)).toEqual(['federal court']);
    expect(courts('11th Circuit Court of Appeals upholds ruling for Raffensperger', false)).toEqual(['appeals court']);
    expect(courts('Atlanta federal judge denies motion', false)).toEqual(['atlanta court', 'federal court']);
    expect(courts('Another judge rules against Trump campaign', false)).toEqual([]);
    expect(courts('Judge dismisses suit against Raffensperger', false)).toEqual([]);
    // Title Case capitalizes every word: only the level words say which court.
    expect(courts('Cobb Judge Tosses Suit Against Raffensperger', true)).toEqual([]);
    expect(courts('Federal Judge Tosses Suit Against Raffensperger', true)).toEqual(['federal court']);
  });

  it("keeps the ruling of another court from joining the first court's, while one that names no court still joins", () => {
    const first = 'Fulton judge dismisses voter roll lawsuit against Raffensperger';
    expect(joins(first, 'Federal judge dismisses voter roll lawsuit against Raffensperger')).toMatchObject({
      joins: false,
      otherPlaces: ['federal court'],
    });
    expect(joins(first, 'Cobb judge dismisses voter roll lawsuit against Raffensperger')).toMatchObject({
      joins: false,
      otherPlaces: ['cobb court'],
    });
    expect(joins(first, 'Judge dismisses voter roll lawsuit against Raffensperger')).toMatchObject({ joins: true });
  });
});

describe('turns of a procedure under way', () => {
  it.each([
    [
      'Chris Krebs sues Trump campaign, Joe diGenova and Newsmax for defamation',
      'Chris Krebs drops Newsmax from defamation lawsuit',
      'drop',
    ],
    [
      'CISA puts election security staff on administrative leave',
      'CISA reinstates election security staff placed on leave',
      'reinstate',
    ],
    [
      'Trump campaign requests recount in Georgia',
      'Raffensperger grants Trump campaign request for recount in Georgia',
      'grant',
    ],
    [
      'Man charged with threatening Georgia Secretary of State Brad Raffensperger',
      'Man pleads guilty to threatening Brad Raffensperger',
      'plead',
    ],
    ['SentinelOne acquires Krebs Stamos Group', 'SentinelOne closes acquisition of Krebs Stamos Group', 'complete'],
  ])('"%s", then "%s": the %s is news', (first, later, act) => {
    const evidence = joins(first, later);
    expect(evidence.joins).toBe(false);
    expect(evidence.newActs).toContain(act);
  });
});

describe('what the headline adds', () => {
  it('keeps a headline that adds rare words of its own from joining on shared ones, and joins one that adds none', () => {
    const vpn = 'CISA warns of critical vulnerability in widely used VPN software';
    expect(joins(vpn, 'CISA warns of critical vulnerability in popular firewall software')).toMatchObject({
      joins: false,
    });
    expect(
      joins(
        'Trump fires election security official Chris Krebs',
        'Trump ousts Chris Krebs, election security official',
      ),
    ).toMatchObject({ joins: true });
  });

  it('keeps the same headline over a summary that tells something new from joining: a recurring title', () => {
    const live = 'WATCH LIVE: Raffensperger holds news conference';
    const story = storySignature({
      title: live,
      summary: 'The secretary of state gives an update on the hand count audit.',
    });
    const certify = storySignature({ title: live, summary: 'Raffensperger is expected to certify the results.' });
    expect(joinEvidence(certify, story, story, context).joins).toBe(false);
    // A copy without a summary, or with the story's own, is the same one.
    expect(joinEvidence(storySignature({ title: live }), story, story, context).joins).toBe(true);
    expect(joinEvidence(story, story, story, context).joins).toBe(true);
  });

  it('keeps a headline about a tracked person the story never named, in place of its own, from joining', () => {
    expect(
      joins(
        'CISA cyber chief Ware resigns under pressure amid election disputes',
        'CISA director Krebs pushed out by Trump amid election disputes',
      ),
    ).toMatchObject({ joins: false, swapped: expect.arrayContaining(['kreb']) });
  });

  it("counts no word of a tracked person's own names as swapped in when the story names that person", () => {
    // "Chris" and "ex-CISA chief" say who Krebs is; the story named Krebs, so they tell nothing new.
    expect(
      joins(
        "Trump campaign lawyer says Krebs should be 'taken out at dawn and shot'",
        "Trump campaign attorney says former cyber official Chris Krebs should be 'shot'",
      ),
    ).toMatchObject({ joins: true });
    expect(
      joins(
        'Krebs sues Trump campaign lawyer for defamation',
        'Ex-CISA chief Chris Krebs sues Trump campaign lawyer for defamation',
      ),
    ).toMatchObject({ joins: true });
  });

  it('keeps a headline that swaps a rare word of the story for its own from joining, even as near-duplicate copy', () => {
    const hand = "Georgia hand recount confirms Biden's win";
    const machine = joins(hand, "Georgia machine recount confirms Biden's win");
    // Named in the evidence: by the slot rule when the rest of the sentence is alike, else as a swapped word.
    expect(machine).toMatchObject({ joins: false, newActs: ['machin for hand'] });
    expect(joins(hand, "Machine recount confirms Biden's win in Georgia")).toMatchObject({
      joins: false,
      swapped: ['machin'],
    });
    // Dropping the word, or saying it again in other words, is the same recount.
    expect(joins(hand, "Georgia recount confirms Biden's win")).toMatchObject({ joins: true });
    expect(joins(hand, "Hand recount in Georgia confirms Biden's win")).toMatchObject({ joins: true });
  });

  it('counts a swapped word however common it is in the news read: governors are not secretaries of state', () => {
    // A poller that has read news full of governors, secretaries of state and election threats.
    const rarity = new TermRarity();
    for (let doc = 0; doc < 2_000; doc++) {
      rarity.observe(
        storySignature({ title: `Governor and secretary of state warn of election threats ${doc}` }).terms,
      );
    }
    const read = defaultStoryContext(rarity);
    expect(read.rarity.weight('governor')).toBe(0);
    const readJoins = joinsIn(read);
    const first = 'CISA briefs secretaries of state on election threats';
    expect(readJoins(first, 'CISA briefs governors on election threats')).toMatchObject({
      joins: false,
      newActs: ['governor for secretary stat'],
    });
    expect(readJoins('CISA briefs governors on election threats', first)).toMatchObject({ joins: false });
    // The same briefing retold joins.
    expect(readJoins(first, 'CISA briefs state secretaries on election threats')).toMatchObject({ joins: true });
  });

  it('counts a scope word as a fact: state investigators are not federal ones, a Georgia ban is not a national one', () => {
    const federal = 'Raffensperger: federal investigators probing Coffee County voting system breach';
    const state = 'Raffensperger: state investigators probing Coffee County voting system breach';
    expect(joins(federal, state)).toMatchObject({ joins: false });
    expect(joins(state, federal)).toMatchObject({ joins: false });
    expect(
      joins(
        'Raffensperger calls for national ban on noncitizen voting',
        'Raffensperger calls for Georgia ban on noncitizen voting',
      ),
    ).toMatchObject({ joins: false });
    // The same probe retold joins.
    expect(
      joins(federal, 'Raffensperger says federal investigators are probing Coffee County voting system breach'),
    ).toMatchObject({ joins: true });
  });

  it("counts the same reaction by someone else as another statement, and a judge's as a ruling", () => {
    const suit = 'Trump campaign sues Raffensperger over absentee ballot rules';
    const slams = 'Raffensperger slams Trump campaign suit over absentee ballot rules';
    const judge = 'Federal judge slams Trump campaign suit against Raffensperger over absentee ballot rules';
    expect(joins(slams, judge)).toMatchObject({ joins: false, otherNames: ['judg'] });
    expect(joins(suit, judge)).toMatchObject({ joins: false });
    // Someone's reaction to the story's act, by no one the story named as reacting, still joins.
    expect(joins(suit, slams)).toMatchObject({ joins: true, reason: 'reaction' });
    expect(
      joins(
        'Trump fires CISA director Chris Krebs',
        "Democrats condemn Trump's 'pathetic' firing of election security official Krebs",
      ),
    ).toMatchObject({ joins: true });
  });

  it('reads why a tracked person fires someone unnamed as what the firing is: another director, another scandal', () => {
    const hobbsJoins = joinsIn(withAdded(['hobbs', 'Katie Hobbs', ['Katie Hobbs']]));
    const fraud = 'Katie Hobbs fires state agency director over handling of sober living fraud';
    expect(hobbsJoins(fraud, 'Katie Hobbs fires state agency director over child welfare failures')).toMatchObject({
      joins: false,
    });
    expect(hobbsJoins(fraud, 'Katie Hobbs ousts state agency director over sober living fraud')).toMatchObject({
      joins: true,
    });
    // Trump firing an unnamed Krebs did it once: its reasons are background.
    expect(
      hobbsJoins(
        'Trump fires CISA director Chris Krebs',
        'Trump fires U.S. election cybersecurity chief who disputed fraud claims',
      ),
    ).toMatchObject({ joins: true });
  });

  it("reads a headline's swapped word even when its summary recalls the story's, as follow-ups do", () => {
    const water = storySignature({ title: 'CISA warns of hackers targeting water utilities' });
    const election = storySignature({
      title: 'CISA warns of hackers targeting election infrastructure',
      summary: 'The warning comes two days after the agency alerted water utilities to the same pro-Iranian hackers.',
    });
    expect(joinEvidence(election, water, water, context)).toMatchObject({ joins: false });
  });

  it('reads the clause of a headline whose main clause has no act as its news: backlash over one thing, then another', () => {
    const comments = 'Fontes faces backlash over comments on election deniers';
    expect(joins(comments, 'Fontes faces backlash over election procedures manual')).toMatchObject({ joins: false });
    expect(joins(comments, 'Fontes faces backlash over his comments about election deniers')).toMatchObject({
      joins: true,
    });
    // An act only called for is none yet.
    expect(
      joins('Griswold faces calls to resign over ballot decision', 'Griswold faces calls to resign over password leak'),
    ).toMatchObject({ joins: false });
  });

  it('reads which staff a firing of a group hits: election security staffers are not foreign-influence staffers', () => {
    const election = 'Trump administration fires CISA staffers who worked on election security';
    expect(joins(election, 'Trump administration fires CISA staffers who worked on foreign influence')).toMatchObject({
      joins: false,
    });
    expect(joins(election, 'Trump administration fires CISA staffers who worked on election security')).toMatchObject({
      joins: true,
    });
    // One official fired (Krebs, unnamed) is still one firing, whatever reason a headline gives.
    expect(
      joins(
        'Trump fires election security official who contradicted him',
        'Trump fires top election security official who countered fraud claims',
      ),
    ).toMatchObject({ joins: true });
  });

  it("reads a hire's trailing post as what it hires for: chief of staff is not elections adviser", () => {
    expect(
      joins(
        'Katie Hobbs taps former state lawmaker as chief of staff',
        'Katie Hobbs taps former state lawmaker as elections adviser',
      ),
    ).toMatchObject({ joins: false });
    expect(
      joins('Katie Hobbs taps former state lawmaker as chief of staff', 'Hobbs names ex-lawmaker chief of staff'),
    ).toMatchObject({ joins: true });
  });

  it("counts a word of a tracked entity's longer name standing alone: a user's EAC or Governor Hobbs hides no fact", () => {
    const userJoins = joinsIn(
      withAdded(
        ['eac', 'U.S. Election Assistance Commission', ['Election Assistance Commission']],
        ['hobbs', 'Katie Hobbs', ['Katie Hobbs', 'Governor Hobbs']],
      ),
    );
    expect(
      userJoins(
        'Sterling condemns threats against Georgia election workers',
        'Sterling condemns threats against Georgia poll workers',
      ),
    ).toMatchObject({ joins: false, newActs: ['poll for election'] });
    expect(
      userJoins('CISA briefs governors on election threats', 'CISA briefs secretaries of state on election threats'),
    ).toMatchObject({ joins: false, newActs: ['secretary stat for governor'] });
    // Named whole, the entity's words still say who, not what: the same audit retold joins.
    expect(
      userJoins(
        'Election Assistance Commission audits Georgia election grants',
        'U.S. Election Assistance Commission audits Georgia election grants',
      ),
    ).toMatchObject({ joins: true });
  });
});

describe('cuts and complaints are acts', () => {
  it('alerts on cuts made after the plan to make them, while a rewrite of the plan joins', () => {
    const plan = 'CISA plans to cut 1,300 jobs in workforce reduction';
    expect(joins(plan, 'CISA cuts 1,300 jobs in workforce reduction')).toMatchObject({
      joins: false,
      newActs: ['cut'],
    });
    expect(joins(plan, 'CISA to slash 1,300 jobs in workforce reduction')).toMatchObject({ joins: true });
  });
});

describe('reactions and attacks the other way round', () => {
  it('keeps the target of a reaction or an attack answering in kind from joining it', () => {
    expect(
      joins(
        'Trump slams Raffensperger over Georgia election results',
        'Raffensperger slams Trump over Georgia election results',
      ),
    ).toMatchObject({ joins: false, newActs: expect.arrayContaining(['slam (the other way round)']) });
    expect(
      joins(
        'Trump accuses Raffensperger of lying about Georgia phone call',
        'Raffensperger accuses Trump of lying about Georgia phone call',
      ),
    ).toMatchObject({ joins: false });
  });
});

describe('aides', () => {
  it("keeps the person's aide doing the act from joining the person doing it, and the other way round", () => {
    const testifies = 'Raffensperger testifies before Fulton County special grand jury';
    expect(joins(testifies, 'Raffensperger aide testifies before Fulton County special grand jury')).toMatchObject({
      joins: false,
      otherNames: ['aid'],
    });
    expect(joins('Raffensperger aide testifies before Fulton County special grand jury', testifies)).toMatchObject({
      joins: false,
    });
    // Someone's lawyer on the other side of the act is its object, not its doer: the same suit.
    expect(
      joins('Krebs sues Trump campaign for defamation', 'Krebs sues Trump campaign, lawyer for defamation'),
    ).not.toMatchObject({ otherNames: expect.arrayContaining(['lawyer']) });
  });

  it("reads the act done to a post, the story's person only in the item's trailing clause, as done to someone else", () => {
    expect(
      joins('Trump fires CISA director Chris Krebs', 'Trump fires CISA official who defended Krebs'),
    ).toMatchObject({
      joins: false,
      otherNames: ['not krebs'],
    });
    // The same firing told by what the person did: no one else named.
    expect(
      joins(
        'Trump fires CISA director Chris Krebs',
        'Trump fires top election security official who disputed fraud claims',
      ),
    ).toMatchObject({ joins: true });
  });

  it('reads one role word more before the act, the doer named by a post alone, as someone else', () => {
    const director = 'CISA director testifies before House Homeland Security Committee';
    expect(joins(director, `Former ${director}`)).toMatchObject({ joins: false, otherNames: ['former'] });
    expect(joins(`Former ${director}`, director)).toMatchObject({ joins: false, otherNames: ['former'] });
    const testifies = 'Raffensperger testifies before Fulton County special grand jury';
    expect(joins(testifies, 'Raffensperger adviser testifies before Fulton County special grand jury')).toMatchObject({
      joins: false,
      otherNames: ['adviser'],
    });
    // A name after the post says who: the same person, the same testimony.
    expect(
      joins(
        'CISA director Krebs testifies before House Homeland Security Committee',
        'Former CISA director Krebs testifies before House Homeland Security Committee',
      ),
    ).toMatchObject({ joins: true });
  });

  it("reads the person's investigator or spouse as someone else too", () => {
    const threats = 'Raffensperger receives death threats after Georgia recount';
    expect(joins("Raffensperger's wife receives death threats after Georgia recount", threats)).toMatchObject({
      joins: false,
    });
    expect(
      joins(
        "Raffensperger's chief investigator testifies before Fulton County special grand jury",
        'Raffensperger testifies before Fulton County special grand jury',
      ),
    ).toMatchObject({ joins: false });
  });
});

describe('a state court at any level', () => {
  it('reads a state supreme court as a state court, so the U.S. Supreme Court after it is another court', () => {
    expect(courts('Georgia Supreme Court rejects Trump campaign appeal', false)).toEqual([
      'georgia court',
      'state court',
      'supreme court',
    ]);
    expect(
      joins(
        'Georgia Supreme Court rejects Trump campaign appeal in election challenge against Raffensperger',
        'U.S. Supreme Court rejects Trump campaign appeal in election challenge against Raffensperger',
      ),
    ).toMatchObject({ joins: false, otherPlaces: ['federal court'] });
  });
});

describe('stances', () => {
  it('reads for or against whom a decision goes', () => {
    expect(stance('Judge rules against Jena Griswold in ballot access case')).toBe('against jena');
    expect(stance('Court sides with Raffensperger on voter rolls')).toBe('for raffensperger');
    expect(stance('Judge rules in favor of Griswold')).toBe('for griswold');
    expect(stance('Judge hears Griswold ballot access case')).toBeUndefined();
  });

  it('keeps a decision for someone after one against them from joining, while a rewrite joins', () => {
    const against = 'Judge rules against Jena Griswold in ballot access case';
    expect(joins(against, 'Judge rules for Jena Griswold in ballot access case')).toMatchObject({
      joins: false,
      newActs: ['for jena'],
    });
    expect(joins(against, 'Judge rules against Jena Griswold in ballot case')).toMatchObject({ joins: true });
  });
});

describe('counties', () => {
  it('reads the county a headline names, outside Title Case', () => {
    expect(counties('Adrian Fontes sues Cochise County supervisors', false)).toEqual(['cochise']);
    expect(counties('Adrian Fontes Sues County Supervisors', true)).toEqual([]);
    expect(counties('Georgia hand recount confirms Biden win', false)).toEqual([]);
  });

  it("keeps another county's event, or a county's after the state's, from joining; the same county's joins", () => {
    const state = "Gabriel Sterling: Georgia hand recount confirms Biden's win";
    expect(joins(state, "Gabriel Sterling: Fulton County recount confirms Biden's win")).toMatchObject({
      joins: false,
      otherPlaces: ['fulton'],
    });
    expect(joins("Fulton County recount confirms Biden's win", state)).toMatchObject({ joins: false });
    const cobb = 'Cobb County man charged with threatening Raffensperger';
    expect(joins(cobb, 'Forsyth County man arrested for threatening Raffensperger')).toMatchObject({ joins: false });
    expect(joins(cobb, 'Cobb County man charged with threatening Georgia official Raffensperger')).toMatchObject({
      joins: true,
    });
  });

  it('reads a state of two words as one: Virginia is not West Virginia, North Carolina not South Carolina', () => {
    expect(statesNamed(storySignature({ title: 'EAC audits West Virginia and Georgia grants' }).title)).toEqual([
      'georgia',
      'west virginia',
    ]);
    const west = "Election Assistance Commission audits West Virginia's use of federal election grants";
    expect(
      joins(west, "Election Assistance Commission audits Virginia's use of federal election grants"),
    ).toMatchObject({ joins: false, otherPlaces: ['virginia'] });
    expect(joins(west, 'Election Assistance Commission audits West Virginia election grant use')).toMatchObject({
      joins: true,
    });
  });
});

describe('which way a figure moved, which side of a time', () => {
  it('reads up or down, and before or after a time but not before a body', () => {
    expect(direction('Jena Griswold: Colorado early voter turnout up from 2020')).toBe('up');
    expect(direction('Georgia absentee requests fell 20% from 2020')).toBe('down');
    expect(direction('Voters can fix absentee ballot errors after Election Day')).toBe('after');
    expect(direction('Sterling: count done before the deadline')).toBe('before');
    expect(direction('Raffensperger testifies before Senate panel')).toBeUndefined();
  });

  it('keeps the figure gone the other way, or the other side of a time, from joining; a rewrite joins', () => {
    const up = 'Jena Griswold: Colorado early voter turnout up from 2020';
    expect(joins(up, 'Jena Griswold: Colorado early voter turnout down from 2020')).toMatchObject({
      joins: false,
      newActs: ['down'],
    });
    expect(
      joins(
        'Raffensperger: Georgia voters can fix absentee ballot errors before Election Day',
        'Raffensperger: Georgia voters can fix absentee ballot errors after Election Day',
      ),
    ).toMatchObject({ joins: false, newActs: ['after'] });
    expect(joins(up, 'Griswold: early voter turnout in Colorado up from 2020')).toMatchObject({ joins: true });
  });
});

describe('posts', () => {
  it('keeps the same firing of another post from joining when no one is named, while a rewrite joins', () => {
    const director = 'Katie Hobbs fires state health director';
    expect(joins(director, 'Katie Hobbs fires top aide')).toMatchObject({ joins: false, otherNames: ['aid'] });
    expect(joins(director, 'Katie Hobbs ousts state health director')).toMatchObject({ joins: true });
    // A named person is who the post belongs to: the post is an epithet.
    expect(
      joins('Trump fires Chris Krebs, top official on election security', 'Trump fires CISA director Chris Krebs'),
    ).not.toMatchObject({ otherNames: expect.arrayContaining(['head']) });
  });

  it('keeps an act done again and again to a post the story never named from joining: the county, then its clerk', () => {
    const county = 'Raffensperger opens investigation into Fulton County';
    expect(joins(county, 'Raffensperger opens investigation into Fulton County elections director')).toMatchObject({
      joins: false,
      otherNames: ['head'],
    });
    expect(
      joins(
        'Jena Griswold sues Mesa County clerk over election equipment breach',
        'Jena Griswold sues Mesa County commissioners over election equipment breach',
      ),
    ).toMatchObject({ joins: false });
    expect(joins(county, 'Raffensperger opens probe into Fulton County')).toMatchObject({ joins: true });
  });
});

describe('denials, numbers, people and roles', () => {
  it('reads a denial or a negation, and the numbers a headline names', () => {
    expect(negated('CISA says its networks were not breached')).toBe(true);
    expect(negated("Raffensperger's office denies voting system was breached")).toBe(true);
    expect(negated("Krebs: the vote wasn't rigged")).toBe(true);
    expect(negated('CISA says its networks were breached')).toBe(false);
    // A rank is no denial; "no" before a year still is.
    expect(negated("Krebs's No. 2 at cyber agency pushed out")).toBe(false);
    expect(negated('Audit finds no 2020 fraud')).toBe(true);
    expect(headlineNumbers('CISA cuts 1,300 jobs, three offices')).toEqual(['1300', '3']);
    expect(headlineNumbers('CISA adds flaw to catalog')).toEqual([]);
    expect(headlineNumbers('70 of 72 Wisconsin counties certified; every county done by Friday')).toEqual([
      '70',
      '72',
      'all',
      'friday',
    ]);
  });

  it('reads "all" after "most" or a count as the next figure, while a rewrite that gives none joins', () => {
    const most = 'Most Georgia counties finish hand recount, Raffensperger says';
    expect(joins(most, 'All Georgia counties finish hand recount, Raffensperger says')).toMatchObject({
      joins: false,
      otherNames: ['all'],
    });
    expect(
      joins('70 of 72 Wisconsin counties certify election results', 'All Wisconsin counties certify election results'),
    ).toMatchObject({ joins: false });
    expect(
      joins('All Georgia counties finish hand recount, Raffensperger says', 'Georgia counties finish hand recount'),
    ).toMatchObject({ joins: true });
  });

  it('keeps a denial, another number or the act the other way round from joining, while a rewrite joins', () => {
    expect(joins('CISA says its networks were not breached', 'CISA says its networks were breached')).toMatchObject({
      joins: false,
      newActs: expect.arrayContaining(['not']),
    });
    expect(
      joins('CISA adds 3 known exploited flaws to catalog', 'CISA adds 5 known exploited flaws to catalog'),
    ).toMatchObject({ joins: false, otherNames: ['5'] });
    expect(
      joins('Adrian Fontes sues Cochise County supervisors', 'Cochise County supervisors sue Adrian Fontes'),
    ).toMatchObject({ joins: false });
    // A state that leads the rewrite is its place, not a doer; the passive names the same doer; joining is the
    // converse of hiring.
    expect(
      joins(
        'Raffensperger orders hand recount of presidential ballots in Georgia',
        'Georgia to recount presidential ballots by hand, Raffensperger orders',
      ),
    ).toMatchObject({ newActs: [] });
    expect(
      joins('Wisconsin Assembly subpoenas Ann Jacobs', 'Ann Jacobs subpoenaed by Wisconsin Assembly'),
    ).toMatchObject({ joins: true });
    expect(
      joins('Matt Masterson joins Stanford Internet Observatory', 'Stanford Internet Observatory hires Matt Masterson'),
    ).toMatchObject({ joins: true });
  });

  it('reads who blames, rebukes, defends or is sued by whom: the other way round is another statement or suit', () => {
    expect(
      joins(
        'Trump blames Raffensperger for Georgia runoff losses',
        'Raffensperger blames Trump for Georgia runoff losses',
      ),
    ).toMatchObject({ joins: false });
    expect(
      joins('Sterling defends Raffensperger over recount', 'Raffensperger defends Sterling over recount'),
    ).toMatchObject({
      joins: false,
    });
    expect(joins('Kari Lake sued by Stephen Richer', 'Stephen Richer sued by Kari Lake')).toMatchObject({
      joins: false,
    });
    // The passive's doer ends where its reason begins.
    expect(
      joins(
        'Tina Peters sued by Jena Griswold over election equipment breach',
        'Jena Griswold sued by Tina Peters over election equipment breach',
      ),
    ).toMatchObject({ joins: false });
    // "sued by" is the suit the active voice names.
    expect(
      joins('Stephen Richer sues Kari Lake for defamation', 'Kari Lake sued by Stephen Richer for defamation'),
    ).toMatchObject({
      joins: true,
    });
  });

  it('keeps the same act done to another tracked person from joining', () => {
    const people = storyContext([
      { id: 'krebs', name: 'Chris Krebs', aliases: ['Chris Krebs'], ambiguous: ['Krebs'], context: [], excludes: [] },
      { id: 'masterson', name: 'Matt Masterson', aliases: [], ambiguous: ['Masterson'], context: [], excludes: [] },
    ]);
    const story = storySignature({ title: 'Trump fires CISA director Chris Krebs' });
    const evidence = (title: string) => joinEvidence(storySignature({ title }), story, story, people);
    expect(evidence("Trump fires CISA's Matt Masterson")).toMatchObject({ joins: false, otherNames: ['masterson'] });
    expect(evidence('Trump ousts Krebs')).toMatchObject({ joins: true });
  });
});
