// What a headline says as its news and what it says as background: epithets and trailing clauses of reasons.

import {
  epithetActs,
  plannedTerms,
  reactionTerms,
  saidTerms,
  trailingClauseTerms,
} from '../../lambda/core/story-clauses';
import { joinEvidence } from '../../lambda/core/story-evidence';
import { headlineNames, signatureTerms, storySignature } from '../../lambda/core/story-terms';
import { storyTerms } from '../../lambda/core/story-words';
import { defaultStoryContext, loadItems } from '../support/story-stream';

describe('an act named as an epithet of the person', () => {
  it.each([
    ['Stanford hires fired cybersecurity chief Krebs - San Francisco Chronicle', ['fire']],
    ["Trump attorney: fired cyber official Chris Krebs should be 'drawn and quartered'", ['fire']],
    ['Christopher Krebs: Sacked US election security chief loses clearance', ['fire']],
    ['Ousted election security chief Krebs says in TV interview there was no fraud', ['fire']],
    ['Trump fired cyber chief Krebs', []],
    ['Krebs fired by Trump after election', []],
    ['Fired for telling the truth, Krebs says', []],
    ['Trump Fires Election Security Official Who Contradicted Him', []],
  ])('%s -> %j', (headline, acts) => {
    expect(epithetActs(headline)).toEqual(acts);
  });

  it('is no new act: "Fired CISA chief Krebs testifies" is the testimony, and alerts after it only for "testify"', () => {
    const context = defaultStoryContext();
    const testimony = storySignature({ title: 'Krebs testifies before Senate Homeland Security Committee' });
    const again = storySignature({
      title: 'Fired CISA chief Krebs testifies before Senate Homeland Security Committee',
    });
    expect(joinEvidence(again, testimony, testimony, context).newActs).toEqual([]);
    const firing = storySignature({ title: 'Trump fires CISA director Chris Krebs' });
    expect(joinEvidence(again, firing, firing, context)).toMatchObject({ joins: false, newActs: ['testify'] });
  });
});

describe('the terms the term table counts', () => {
  it('are the signature terms, read without the headline parts', () => {
    const items = loadItems('wide-tune');
    expect(items.length).toBeGreaterThan(50);
    for (const item of items) expect(signatureTerms(item)).toEqual(storySignature(item).terms);
  });
});

describe('a trailing clause of reasons', () => {
  it('holds what comes after the main clause, and never the main clause', () => {
    expect(
      trailingClauseTerms('Trump fires CISA director Chris Krebs for debunking election conspiracy theories'),
    ).toEqual(['conspiracy', 'debunk', 'election', 'theory']);
    expect(trailingClauseTerms("Krebs's deputy forced out a day after Krebs firing")).toEqual(['fire']);
    expect(trailingClauseTerms('After firing, Krebs speaks')).toEqual([]);
  });

  it('does not take what is asked for as a reason: "asks for recount in ..." is the act', () => {
    expect(trailingClauseTerms('Trump campaign asks for recount in Milwaukee and Dane counties')).toEqual([]);
    expect(trailingClauseTerms('Georgia Republicans call for audit of signatures')).toEqual([]);
    expect(trailingClauseTerms('Raffensperger praised for defending the count')).toEqual(['count', 'defend']);
  });

  it('reads the "as" of a hire or a departure as the post taken or left, not a circumstance', () => {
    expect(trailingClauseTerms("Chris Krebs hired as SentinelOne's chief intelligence officer")).toEqual([]);
    expect(trailingClauseTerms('Chris Krebs steps down as co-chair of disinformation commission')).toEqual([]);
    expect(trailingClauseTerms('Krebs testifies as Senate weighs CISA cuts')).toEqual([
      'cisa',
      'cut',
      'senat',
      'weigh',
    ]);
    // A clause with an act of its own is still a circumstance.
    expect(trailingClauseTerms('Chris Krebs leaves SentinelOne as Trump revokes his security clearance')).toEqual([
      'clearanc',
      'revoke',
      'security',
      'trump',
    ]);
  });

  it('reads "for" as a reason only before a gerund or a possessive: what money or a guide is for is its object', () => {
    expect(trailingClauseTerms('Katie Hobbs freezes funding for school voucher program')).toEqual([]);
    expect(trailingClauseTerms('CISA releases election security guide for local officials')).toEqual([]);
    expect(trailingClauseTerms('Trump fires Krebs for his statement on election security')).toEqual([
      'election',
      'security',
      'statement',
    ]);
    const context = defaultStoryContext();
    const voucher = storySignature({ title: 'Katie Hobbs freezes funding for school voucher program' });
    const border = storySignature({ title: 'Katie Hobbs freezes funding for border security program' });
    expect(joinEvidence(border, voucher, voucher, context)).toMatchObject({ joins: false });
    const retold = storySignature({ title: 'Hobbs freezes school voucher program funding' });
    expect(joinEvidence(retold, voucher, voucher, context)).toMatchObject({ joins: true });
  });

  it("does not count an act in the item's own trailing clause as its news", () => {
    const context = defaultStoryContext();
    const subpoena = storySignature({
      title: 'House Homeland Security panel subpoenas DHS for records on Krebs firing',
    });
    const again = storySignature({ title: 'House Democrats subpoena DHS over Krebs dismissal' });
    expect(joinEvidence(again, subpoena, subpoena, context).newActs).toEqual([]);
    // An act in the main clause is still new: the deputy's resignation is not the firing it follows.
    const firing = storySignature({ title: 'Trump fires CISA director Chris Krebs' });
    const deputy = storySignature({ title: 'CISA deputy Matthew Travis resigns a day after Krebs firing' });
    expect(joinEvidence(deputy, firing, firing, context)).toMatchObject({ joins: false, newActs: ['leave'] });
  });

  it('lets a retitled report of the act join, but not a report whose main clause adds who else was fired', () => {
    const context = defaultStoryContext();
    const firing = storySignature({ title: 'Trump fires CISA director Chris Krebs' });
    const retitled = storySignature({
      title: 'Trump fires CISA director Chris Krebs for debunking election conspiracy theories',
    });
    expect(joinEvidence(retitled, firing, firing, context)).toMatchObject({ joins: true, reason: 'same-act' });
    const deputy = storySignature({ title: "Trump fires Krebs's deputy Matthew Travis after election dispute" });
    expect(joinEvidence(deputy, firing, firing, context).joins).toBe(false);
    // The firing in a clause of circumstances is not the act of the report.
    const forcedOut = storySignature({ title: "Krebs's deputy forced out a day after Krebs firing" });
    expect(joinEvidence(forcedOut, firing, firing, context).joins).toBe(false);
  });
});

describe('a court ruling, a show appearance, and what the item itself names as background', () => {
  it('reads a court saying no, however worded, as a ruling, and only with a court or its case as subject', () => {
    for (const title of [
      'Judge tosses Trump campaign suit over Georgia ballots',
      'Federal court throws out bid to decertify Georgia vote',
      'Georgia lawsuit dismissed by federal judge',
      'Appeals court rejects challenge to Georgia results',
    ]) {
      expect({ title, rule: storySignature({ title }).title.includes('rule') }).toEqual({ title, rule: true });
    }
    expect(storySignature({ title: 'Graham asked if he could toss legal ballots' }).title).not.toContain('rule');
    expect(storySignature({ title: 'Trump dismisses Krebs' }).title).toContain('fire');
  });

  it('never joins a suit being filed to a ruling on another suit, whichever arrives first', () => {
    const context = defaultStoryContext();
    const ruling = storySignature({ title: 'Federal judge tosses Trump campaign suit seeking to void Georgia result' });
    const filed = storySignature({ title: 'Trump campaign files new Georgia suit seeking to void the result' });
    expect(joinEvidence(filed, ruling, ruling, context)).toMatchObject({ joins: false, newActs: ['rule', 'new'] });
    expect(joinEvidence(ruling, filed, filed, context)).toMatchObject({ joins: false, newActs: ['rule'] });
    const again = storySignature({ title: 'Judge dismisses Trump campaign suit seeking to void Georgia result' });
    expect(joinEvidence(again, ruling, ruling, context)).toMatchObject({ joins: true });
  });

  it('reads "X on \'Show\':" as an interview', () => {
    expect(storySignature({ title: "Sterling on 'Face the Nation': the count was accurate" }).title).toContain(
      'interview',
    );
    expect(storySignature({ title: "Masterson on '60 Minutes': paper ballots saved 2020" }).title).toContain(
      'interview',
    );
    expect(storySignature({ title: 'Masterson on paper ballots' }).title).not.toContain('interview');
  });

  it('takes no headline evidence from what the item names only as background ("... after X remarks")', () => {
    const context = defaultStoryContext();
    const remarks = storySignature({ title: "Campaign lawyer Smithson's remarks: Sterling should be 'locked up'" });
    const later = storySignature({ title: 'Sterling weighing legal options after Smithson remarks' });
    expect(later.clause).toEqual(expect.arrayContaining(['remark', 'smithson']));
    expect(joinEvidence(later, remarks, remarks, context).joins).toBe(false);
  });
});

describe('a rare name the story never mentioned', () => {
  it('keeps a join on shared words alone from swallowing it: a book deal is not the op-ed before it', () => {
    const context = defaultStoryContext();
    const oped = storySignature({
      title: "Sterling: Georgia's count was accurate, and the threats must stop",
      summary: 'The Georgia voting system manager writes that integrity matters more than party.',
    });
    const book = storySignature({
      title: "Sterling to write 'Count Every Vote' for Penguin Random House",
      summary: 'The Georgia official will tell the story of the 2020 count and the threats against election workers.',
    });
    expect(book.clause).toBeUndefined();
    // Its rare new words (a publisher, a title) are novelty enough that it never reaches the shared-words join.
    expect(joinEvidence(book, oped, oped, context).joins).toBe(false);
    // The same words without the new name join: the rule costs only reports that name something new.
    const retold = storySignature({
      title: "Sterling writes Georgia's count was accurate and threats must stop",
      summary: 'The Georgia official will tell the story of the 2020 count and the threats against election workers.',
    });
    expect(joinEvidence(retold, oped, oped, context).joins).toBe(true);
  });
});

describe('words that would meet the wrong term', () => {
  it('keeps "tape" from reading as "tap" (hired) and "found" as the past of find, not founding', () => {
    expect(storyTerms('On tape, Trump pushes Raffensperger')).not.toContain('hire');
    expect(storyTerms('SolarWinds taps Krebs')).toContain('hire');
    expect(storyTerms('Audit found no fraud')).toContain('find');
    expect(storyTerms('Krebs founded a consultancy')).toContain('launch');
  });

  it('reads a people\'s word as its place: "Russian hack" is about Russia, "Georgians" about Georgia', () => {
    expect(storyTerms('Russian hack')).toEqual(storyTerms('Russia hack'));
    expect(storyTerms('Georgians vote')).toEqual(storyTerms('Georgia vote'));
  });

  it("drops a Google News tail that names the item's outlet otherwise than its feed does", () => {
    const item = { title: 'CISA says Russia behind SolarWinds breach - Nextgov/FCW', publisher: 'Nextgov' };
    expect(signatureTerms(item)).not.toContain('fcw');
    expect(storySignature(item).names ?? []).toEqual(expect.not.arrayContaining(['fcw', 'nextgov']));
    // A dash inside the headline that names no outlet stays: it is the news.
    expect(signatureTerms({ title: 'Krebs sues - and wins', publisher: 'Nextgov' })).toContain('win');
  });

  it('reads no name from an acronym of a common thing: "a TV interview" names no one', () => {
    expect(headlineNames('Ousted cyber chief Krebs says in TV interview there was no fraud')).not.toContain('tv');
    expect(headlineNames('Krebs tells 60 Minutes the election was not rigged')).toContain('minut');
  });

  it("keeps a rare name in the item's trailing clause as a veto: what a suit is over can be the event", () => {
    const context = defaultStoryContext();
    const dominion = storySignature({ title: 'Lawsuit filed against Raffensperger over Dominion machines' });
    const smartmatic = storySignature({ title: 'Lawsuit filed against Raffensperger over Smartmatic contract' });
    expect(joinEvidence(smartmatic, dominion, dominion, context).joins).toBe(false);
  });
});

describe('telling a legislature', () => {
  it('is testifying: "Krebs tells senators ..." names the testimony, "tells reporters" does not', () => {
    expect(storyTerms('Krebs tells senators he was fired for telling the truth')).toContain('testify');
    expect(storyTerms('Sterling tells state House panel the claims are nonsense')).toContain('testify');
    expect(storyTerms('Masterson tells reporters the count was right')).not.toContain('testify');
  });

  it('keeps a press conference on the claims apart from the testimony on them', () => {
    const context = defaultStoryContext();
    const testimony = storySignature({ title: "Sterling tells state senators election fraud claims don't hold up" });
    const briefing = storySignature({ title: "Sterling walks through Trump's Georgia fraud claims and debunks them" });
    // The testimony's "don't hold up" negates, the briefing does not: a denial is its own development too.
    expect(joinEvidence(briefing, testimony, testimony, context)).toMatchObject({
      joins: false,
      newActs: ['testify', 'not'],
    });
  });
});

describe('an act announced, then done', () => {
  it('reads "to testify", "will testify" and a request to testify as not done', () => {
    expect(plannedTerms('Raffensperger, Sterling to testify at Tuesday hearing')).toContain('testify');
    expect(plannedTerms('Sterling will testify before the panel')).toContain('testify');
    // Asked for is not done either: "asks watchdog to investigate" is no investigation yet.
    expect(plannedTerms('Democrats ask watchdog to investigate Krebs firing')).toContain('investigate');
    expect(plannedTerms('Krebs to step down as director')).toContain('leave');
    // Named done anywhere in the text, it is not only planned.
    expect(plannedTerms('Krebs to testify; he testified before in 2019')).not.toContain('testify');
  });

  it('reads an act voted for, or one a later vote or decision is only beside, as done', () => {
    expect(plannedTerms('Cochise County supervisors to certify election results')).toContain('certify');
    expect(plannedTerms('Cochise County supervisors vote to certify election results')).not.toContain('certify');
    expect(plannedTerms('Senate confirms Easterly by voice vote')).not.toContain('confirm');
    expect(plannedTerms('Cochise County certifies results after court decision')).not.toContain('certify');
    // Right after the act, the vote or the decision is still to come.
    expect(plannedTerms('Cochise certification vote set for Thursday')).toContain('certify');
  });

  it('reads an act after a modal, a negation, a verb that weighs or denies it, or in a question, as not done', () => {
    expect(plannedTerms('Trump may fire CISA director Chris Krebs')).toContain('fire');
    expect(plannedTerms('Trump weighs firing CISA director Chris Krebs')).toContain('fire');
    expect(plannedTerms('White House denies report Trump fired Krebs')).toContain('fire');
    expect(plannedTerms('Krebs says he will not resign')).toContain('leave');
    expect(plannedTerms("Jacobs says she won't resign")).toContain('leave');
    expect(plannedTerms('Will Chris Krebs testify before Congress?')).toContain('testify');
    // An act before such a word, or a "to" further back than the act's own phrase, is done.
    expect(plannedTerms('Trump fires Krebs, who would not back fraud claims')).not.toContain('fire');
    expect(plannedTerms('Krebs talks to CBS after firing')).not.toContain('fire');
  });

  it('keeps an act announced, asked for or worded in two words apart from the act done', () => {
    const context = defaultStoryContext();
    for (const [announced, done] of [
      ['Krebs to tell Senate panel election was secure', 'Krebs testifies election was secure'],
      ['Senate panel asks Krebs to testify on election security', 'Krebs testifies on election security'],
      ['Krebs to step down as CISA director', 'Krebs steps down as CISA director'],
    ]) {
      const story = storySignature({ title: announced! });
      expect({ done, joins: joinEvidence(storySignature({ title: done! }), story, story, context).joins }).toEqual({
        done,
        joins: false,
      });
    }
  });

  it('alerts for the testimony after its announcement, and still joins coverage of the announcement', () => {
    const context = defaultStoryContext();
    const announced = storySignature({ title: 'Masterson, Sterling to testify at Thursday hearing of House panel' });
    const testimony = storySignature({
      title: "Masterson tells House panel: 'The count was right'",
      summary: 'Masterson testified that audits confirmed the count.',
    });
    expect(joinEvidence(testimony, announced, announced, context).newActs).toContain('testify');
    const retold = storySignature({ title: 'House panel hearing: Masterson and Sterling to testify Thursday' });
    expect(joinEvidence(retold, announced, announced, context).newActs).toEqual([]);
  });
});

describe('who acts, named first', () => {
  it('counts a rare first word as a name: the governor calling for an audit is not the senator denying pressure', () => {
    const context = defaultStoryContext();
    const denial = storySignature({ title: 'Georgia Republicans deny pressuring Raffensperger to throw out ballots' });
    const audit = storySignature({
      title: 'Kemp calls for audit of absentee ballot signatures, pressuring Raffensperger',
    });
    expect(audit.names).toContain('kemp');
    expect(joinEvidence(audit, denial, denial, context)).toMatchObject({ joins: false });
  });
});

describe('what a headline reports as said to someone', () => {
  const hearing = 'Masterson tells House panel audits and recounts confirmed the vote';

  it('holds the words after "tells" and its subject, never a trailing attribution', () => {
    expect(saidTerms(hearing)).toEqual(['audit', 'find', 'hous', 'panel', 'recount', 'vot']);
    expect(saidTerms("Arizona audit finds hand count matches machine tally, CISA's Masterson says")).toEqual([]);
    expect(saidTerms('Masterson tells reporters')).toEqual([]);
    expect(saidTerms('Tell us what happened')).toEqual([]);
  });

  it('is a recap, not the event: an audit result filed after the hearing that recaps audits alerts', () => {
    const context = defaultStoryContext();
    const recap = storySignature({ title: hearing });
    const results = storySignature({
      title:
        'Arizona post-election audit turns up no discrepancies, election security adviser Masterson says - Reuters',
      publisher: 'Reuters',
    });
    // (Telling a House panel is also testifying, which the result never mentions.)
    expect(joinEvidence(results, recap, recap, context)).toMatchObject({
      joins: false,
      newActs: expect.arrayContaining(['find', 'testify']),
    });
    // The act the headline does itself still counts: a report of the same audit result joins the result.
    const copy = storySignature({ title: 'Arizona audit turns up no discrepancies, Masterson says' });
    expect(joinEvidence(copy, results, results, context).joins).toBe(true);
  });
});

describe('a reaction to the story', () => {
  const context = defaultStoryContext();
  const firing = storySignature({ title: 'Trump fires CISA director Chris Krebs' });
  const reactingTo = (title: string, summary?: string) =>
    joinEvidence(storySignature({ title, summary }), firing, firing, context);

  it('joins when it reacts to the act the story names and adds nothing the story did not tell', () => {
    expect(reactionTerms("Democrats condemn Trump's 'pathetic' firing of election security official Krebs")).toEqual([
      'election',
      'fire',
      'kreb',
      'official',
      'security',
      'trump',
    ]);
    expect(reactingTo("Democrats condemn Trump's 'pathetic' firing of election security official Krebs")).toMatchObject(
      {
        joins: true,
        reason: 'reaction',
      },
    );
    expect(reactingTo("Lawmakers blast Trump's removal of Krebs as 'petty' and 'dangerous'").reason).toBe('reaction');
  });

  it("alerts when what it reacts to is another development: someone else's firing, a new act", () => {
    expect(reactingTo("Democrats condemn Trump's firing of Krebs's deputy Matthew Travis").joins).toBe(false);
    expect(reactingTo('Krebs slams Trump order revoking his security clearance')).toMatchObject({
      joins: false,
      newActs: ['revoke'],
    });
    expect(reactionTerms('Trump fires Krebs')).toEqual([]);
  });

  it('alerts for an act coverage always names, named only in the lead, and for an opinion piece', () => {
    expect(
      reactingTo(
        'Krebs tells senators he was fired for telling the truth about the election',
        'Testifying before the Senate Homeland Security Committee, the former CISA director defended the vote.',
      ),
    ).toMatchObject({ joins: false, newActs: ['testify'] });
    expect(
      reactingTo("Opinion | Trump fired me for saying this, but I'm saying it again: The election wasn't rigged"),
    ).toMatchObject({ joins: false, newActs: ['writ', 'again', 'not'] });
  });
});

describe('acts in two words, and acts a story names only as background', () => {
  it('reads "steps down" and "pushed out" as leaving, "snaps up" as buying', () => {
    expect(storyTerms('Chris Krebs steps down from SentinelOne')).toContain('leave');
    expect(storyTerms("Krebs's No. 2 at cyber agency pushed out")).toContain('leave');
    expect(storyTerms('SentinelOne snaps up Krebs Stamos Group')).toContain('acquire');
    expect(storyTerms('Trump pushes outright ban')).not.toContain('leave');
  });

  it('reads joining a lawsuit or being named in one as the suit, not a hire; joining a company is still a hire', () => {
    expect(storyTerms('Jena Griswold joins lawsuit against Trump over voter data demand')).not.toContain('hire');
    expect(storyTerms('Raffensperger named in lawsuit over absentee ballot rules')).not.toContain('hire');
    expect(storyTerms('Raffensperger named in lawsuit over absentee ballot rules')).toContain('sue');
    expect(storyTerms('Krebs joins SentinelOne')).toContain('hire');
    const context = defaultStoryContext();
    const order = storySignature({ title: 'Jena Griswold joins lawsuit against Trump over election executive order' });
    const data = storySignature({ title: 'Jena Griswold joins lawsuit against Trump over voter data demand' });
    expect(joinEvidence(data, order, order, context)).toMatchObject({ joins: false });
  });

  it('takes an act said only in a trailing clause for background: the recount itself is another development', () => {
    const threats = storySignature({
      title: 'Georgia secretary of state and his wife receive death threats amid recount',
    });
    const recount = storySignature({ title: "Georgia's hand recount confirms Biden won presidential race" });
    const evidence = joinEvidence(recount, threats, threats, defaultStoryContext());
    expect(evidence.joins).toBe(false);
    expect(evidence.newActs).toContain('recount');
  });
});

describe('the stages of a procedure, and the state it happens in', () => {
  const context = defaultStoryContext();
  const sig = (title: string) => storySignature({ title });

  it('reads the stages however they are worded: begins, finds, completes, postpones', () => {
    expect(storyTerms("Arizona's post-election audit gets under way")).toContain('launch');
    expect(storyTerms('Arizona starts risk-limiting audit')).toContain('launch');
    expect(storyTerms('Memory card with uncounted ballots turns up in recount')).toContain('find');
    expect(storyTerms('Arizona hand-count audit confirms presidential results')).toContain('find');
    expect(storyTerms('Wisconsin recount ends, Biden lead holds')).toContain('complete');
    expect(storyTerms("Krebs's Senate testimony delayed")).toContain('postpone');
  });

  it('never joins a later stage to an earlier one, whichever arrives first', () => {
    const dismissal = sig('Judge dismisses Trump campaign suit to stop Pennsylvania certification');
    const appeal = sig('Trump campaign appeals dismissal of Pennsylvania certification suit');
    // "Dismissal" as a noun reads as a firing, so more than the appeal can be new: no join either way.
    const appealed = joinEvidence(appeal, dismissal, dismissal, context);
    expect(appealed).toMatchObject({ joins: false, newActs: expect.arrayContaining(['appeal']) });
    const dismissed = joinEvidence(dismissal, appeal, appeal, context);
    expect(dismissed).toMatchObject({ joins: false, newActs: expect.arrayContaining(['appeal']) });
    const begins = sig("Arizona begins hand-count audit of presidential ballots as CISA's Matthew Masterson observes");
    const results = sig("Arizona audit finds hand count matches machine tally, CISA's Masterson says");
    expect(joinEvidence(results, begins, begins, context)).toMatchObject({ joins: false, newActs: ['find'] });
    const held = sig('CISA director Krebs testifies before Senate Rules Committee on election security');
    const postponed = sig('Senate panel postpones Krebs testimony on election security');
    expect(joinEvidence(postponed, held, held, context)).toMatchObject({ joins: false, newActs: ['postpone'] });
  });

  it('never joins the same procedure in another state, and still joins a rewrite in the same one', () => {
    const pennsylvania = sig('Trump campaign sues to stop Pennsylvania from certifying election');
    const michigan = sig('Trump campaign sues to stop Michigan from certifying election');
    expect(joinEvidence(michigan, pennsylvania, pennsylvania, context)).toMatchObject({
      joins: false,
      otherPlaces: ['michigan'],
    });
    const again = sig('Trump campaign sues to stop Pennsylvania certification');
    expect(joinEvidence(again, pennsylvania, pennsylvania, context)).toMatchObject({ joins: true, otherPlaces: [] });
  });

  it('never joins an item about one rare name to a story about another (Dominion, ES&S), and still joins its rewrite', () => {
    const ess = sig('CISA advisory warns of ES&S ExpressVote flaw');
    const dominion = sig('US cyber agency issues advisory on Dominion ImageCast X flaw');
    expect(ess.names).toEqual(expect.arrayContaining(storyTerms('ExpressVote')));
    expect(joinEvidence(dominion, ess, ess, context)).toMatchObject({
      joins: false,
      otherNames: expect.arrayContaining(storyTerms('Dominion ImageCast')),
    });
    const rewrite = sig('CISA warns of vulnerability in ES&S ExpressVote ballot-marking devices');
    expect(joinEvidence(rewrite, ess, ess, context)).toMatchObject({ otherNames: [] });
  });

  it('reads no names from a headline in Title Case, where every word is capitalized', () => {
    expect(headlineNames('Trump Campaign Files Suit to Halt Pennsylvania Certification')).toEqual([]);
    expect(headlineNames('Trump campaign files suit to halt Pennsylvania certification')).toEqual([
      'pennsylvania',
      'trump',
    ]);
  });

  it('takes an adviser for a role, not an event: a recount request and a memory card found share only that', () => {
    const request = sig('Wisconsin partial recount requested; CISA election adviser Masterson expects little change');
    const card = sig('Wisconsin recount discovers memory card of ballots never counted, Masterson of CISA says');
    const evidence = joinEvidence(request, card, card, context);
    expect(evidence.joins).toBe(false);
    expect(evidence.shared.map((t) => t.term)).not.toContain('adviser');
  });
});
