// Developments worded almost like their story: who the headline puts in the act, a hedged figure or another day, an
// act held off, who leads whom. Each must not join the story it resembles; a rewrite of the same event still does.

import { plannedTerms } from '../../lambda/core/story-clauses';
import { joinEvidence } from '../../lambda/core/story-evidence';
import { headlineNumbers } from '../../lambda/core/story-markers';
import { type StoryText, storySignature } from '../../lambda/core/story-terms';
import { defaultStoryContext } from '../support/story-stream';

const context = defaultStoryContext();
const joins = (first: StoryText | string, later: StoryText | string) => {
  const story = storySignature(typeof first === 'string' ? { title: first } : first);
  return joinEvidence(storySignature(typeof later === 'string' ? { title: later } : later), story, story, context);
};

describe('who the headlines put in the act', () => {
  it('reads the story\'s person in the trailing clause ("... after Sterling") as background, not the doer', () => {
    expect(
      joins(
        'Gabriel Sterling testifies before Fulton County special grand jury',
        'Raffensperger testifies before Fulton County special grand jury after Sterling',
      ),
    ).toMatchObject({ joins: false });
    // Both named in the act, as the story did: the same testimony.
    expect(
      joins(
        'Raffensperger, Sterling testify before Fulton County special grand jury',
        'Sterling and Raffensperger testify before Fulton County special grand jury',
      ),
    ).toMatchObject({ joins: true });
  });

  it("reads a person the story's lead names only as due to act next as not told", () => {
    const fired = {
      title: 'Trump fires CISA director Chris Krebs',
      summary:
        'President Trump fired Chris Krebs by tweet on Tuesday; election security official Matt Masterson is expected to be pushed out too, officials said.',
    };
    expect(joins(fired, "Trump fires CISA's Matt Masterson")).toMatchObject({ joins: false });
    // Named as done in the lead, the person is told: a headline naming them is the same firing.
    const unnamed = {
      title: 'Trump fires CISA director',
      summary: 'President Trump fired Chris Krebs by tweet on Tuesday.',
    };
    expect(joins(unnamed, 'Trump fires Chris Krebs')).toMatchObject({ joins: true });
  });
});

describe('the same words, another act or another doer', () => {
  it('reads "calls on X to resign" with a doer and a target, and a chief of staff as an aide', () => {
    expect(
      joins('Jena Griswold calls on Tina Peters to resign', 'Tina Peters calls on Jena Griswold to resign'),
    ).toMatchObject({ joins: false });
    expect(
      joins(
        "Raffensperger's chief of staff subpoenaed by Fulton County grand jury",
        'Raffensperger subpoenaed by Fulton County grand jury',
      ),
    ).toMatchObject({ joins: false });
  });

  it('reads the same acts in the other order as another development', () => {
    expect(
      joins('CISA reinstates fired probationary workers', 'CISA fires reinstated probationary workers'),
    ).toMatchObject({
      joins: false,
    });
    // A noun is no act described: a postponed testimony is the same news, however worded.
    expect(
      joins(
        'Senate panel postpones Krebs testimony on election security',
        "CISA director Krebs's Senate testimony delayed",
      ),
    ).toMatchObject({ newActs: [] });
  });
});

describe("what the story's lead names as another matter", () => {
  it('reads a lead sentence with "also" or "earlier" as not told: its matter reported next is news', () => {
    expect(
      joins(
        {
          title: 'CISA warns Chinese hackers are in US water systems',
          summary:
            'The Cybersecurity and Infrastructure Security Agency warned that Chinese state hackers have burrowed into water systems, after earlier alerts about telecom networks and election systems.',
        },
        'CISA warns Chinese hackers are in US election systems',
      ),
    ).toMatchObject({ joins: false });
    expect(
      joins(
        {
          title: 'Katie Hobbs vetoes bill banning ballot drop boxes',
          summary:
            'Gov. Katie Hobbs vetoed a Republican bill banning ballot drop boxes on Tuesday. Republicans are also pushing a bill requiring hand counts of ballots, which she opposes.',
        },
        'Katie Hobbs vetoes bill requiring hand counts of ballots',
      ),
    ).toMatchObject({ joins: false });
  });
});

describe('a hedged figure, another count word or another day', () => {
  it('reads "nearly all", "some" and "today" as figures of their own', () => {
    expect(headlineNumbers('Nearly all Georgia counties finish hand recount')).toEqual(['nearly all']);
    expect(headlineNumbers('A handful of counties certify; more today')).toEqual(['some', 'today']);
  });

  it('keeps "all" after "nearly all", "most" after "a handful", Friday after today apart', () => {
    expect(
      joins('Nearly all Georgia counties finish hand recount', 'All Georgia counties finish hand recount'),
    ).toMatchObject({ joins: false });
    expect(
      joins('A handful of Georgia counties finish hand recount', 'Most Georgia counties finish hand recount'),
    ).toMatchObject({
      joins: false,
    });
    expect(
      joins(
        'Stephen Richer to testify before Arizona Senate panel today',
        'Stephen Richer to testify before Arizona Senate panel Friday',
      ),
    ).toMatchObject({ joins: false });
  });

  it('reads a scaled figure whole, an official count apart from an unofficial one, and "this week" as a day', () => {
    expect(headlineNumbers('Maricopa County has counted half a million early ballots')).toEqual([
      'half',
      'half million',
    ]);
    expect(headlineNumbers('Maricopa County has counted a million early ballots')).toEqual(['1 million']);
    expect(headlineNumbers('Election official says the count is done')).toEqual([]);
    expect(
      joins(
        'Richer: Maricopa County has counted half a million early ballots',
        'Richer: Maricopa County has counted a million early ballots',
      ),
    ).toMatchObject({ joins: false });
    expect(
      joins(
        'Raffensperger: unofficial audit tally confirms Biden win',
        'Raffensperger: official audit tally confirms Biden win',
      ),
    ).toMatchObject({ joins: false });
    expect(
      joins(
        'Pennsylvania to finish counting mail ballots this week',
        'Pennsylvania to finish counting mail ballots Monday',
      ),
    ).toMatchObject({ joins: false });
    // The same figure worded otherwise is the same count.
    expect(
      joins(
        'Richer: Maricopa County has counted half a million early ballots',
        'Maricopa County has counted half a million early ballots, Richer says',
      ),
    ).toMatchObject({ joins: true });
  });
});

describe('an act undone: called off, backed off, voted down', () => {
  it('keeps the act undone from joining the act', () => {
    expect(
      joins(
        'Arizona GOP calls meeting to censure Stephen Richer',
        'Arizona GOP calls off meeting to censure Stephen Richer',
      ),
    ).toMatchObject({ joins: false });
    expect(
      joins('Arizona Senate backs subpoena of Adrian Fontes', 'Arizona Senate backs down on subpoena of Adrian Fontes'),
    ).toMatchObject({ joins: false });
    expect(
      joins(
        'Georgia Senate committee debates bill stripping Raffensperger',
        'Georgia Senate committee votes down bill stripping Raffensperger',
      ),
    ).toMatchObject({ joins: false });
  });

  it('joins the vote down told the other way round', () => {
    expect(
      joins(
        "Arizona Senate committee votes down Katie Hobbs' pick for health director",
        "Katie Hobbs' pick for health director voted down by Arizona Senate committee",
      ),
    ).toMatchObject({ joins: true });
  });
});

describe('an act held off', () => {
  it('reads "holds off on", "backs down on", "stops short of" and "balks at" as not done', () => {
    expect(plannedTerms('Griswold holds off on certifying ballot question')).toContain('certify');
    expect(plannedTerms('Raffensperger stops short of certifying results')).toContain('certify');
    expect(plannedTerms('Arizona Senate backs down on subpoenaing Adrian Fontes')).toContain('subpoena');
    expect(plannedTerms('Cochise supervisors balk at certifying election')).toContain('certify');
    expect(plannedTerms('Griswold certifies ballot question')).not.toContain('certify');
  });

  it('keeps the act done from joining the act held off', () => {
    expect(
      joins('Griswold holds off on certifying ballot question', 'Griswold certifies ballot question'),
    ).toMatchObject({ joins: false });
  });
});

describe('who leads whom, above or below', () => {
  it('reads a label before a colon as no doer: "Poll: Jones leads Raffensperger" is the other way round', () => {
    expect(
      joins(
        'Poll: Raffensperger leads Burt Jones in Georgia governor race',
        'Poll: Burt Jones leads Raffensperger in Georgia governor race',
      ),
    ).toMatchObject({ joins: false });
  });

  it('reads a lead the other way round, and a figure below after above, as another poll', () => {
    expect(
      joins(
        'Raffensperger leads Burt Jones in Georgia governor race poll',
        'Burt Jones leads Raffensperger in Georgia governor race poll',
      ),
    ).toMatchObject({ joins: false });
    expect(
      joins('Poll: Katie Hobbs approval above 50 percent', 'Poll: Katie Hobbs approval below 50 percent'),
    ).toMatchObject({ joins: false });
    expect(
      joins(
        'Richer: Maricopa County early turnout running under 2020 pace',
        'Richer: Maricopa County early turnout running over 2020 pace',
      ),
    ).toMatchObject({ joins: false });
    // "Over" a dispute is no figure: the same suit.
    expect(
      joins(
        'Krebs sues Trump campaign lawyer over 2020 remarks',
        'Krebs sues Trump campaign lawyer over remarks on 2020 vote',
      ),
    ).toMatchObject({ joins: true });
  });
});

describe('a headline naming coverage, not an event', () => {
  it("reads a live blog's or an analysis's news in its lead", () => {
    expect(
      joins('Georgia hand recount begins, Raffensperger says', {
        title: "Live updates: Georgia's hand recount",
        summary:
          "All 159 counties have finished counting by hand, and the tally confirms Joe Biden's win, Secretary of State Brad Raffensperger's office said.",
      }),
    ).toMatchObject({ joins: false });
    expect(
      joins('Katie Hobbs vetoes bill banning ballot drop boxes', {
        title: 'Analysis: Katie Hobbs and the ballot bills',
        summary:
          'Gov. Katie Hobbs on Thursday vetoed a measure requiring a hand count of every ballot, her 20th veto of the session.',
      }),
    ).toMatchObject({ joins: false });
  });

  it('keeps an event headline that only uses the word', () => {
    const signature = storySignature({
      title: 'CISA analysis finds no evidence votes were changed',
      summary: 'The agency said on Friday that its review was complete.',
    });
    expect(signature.title).toEqual(expect.arrayContaining(['evidenc', 'find']));
    expect(
      storySignature({ title: 'Georgia recount: live updates', summary: 'Fulton County finished its count.' }).title,
    ).toContain('fulton');
  });
});

describe('a grammar word that turns the news round', () => {
  it.each([
    [
      'Georgia recount to finish before Thanksgiving, Sterling says',
      'Georgia recount to finish after Thanksgiving, Sterling says',
    ],
    [
      'CISA election security review to wrap up before 2026 primaries',
      'CISA election security review to wrap up after 2026 primaries',
    ],
    [
      'Raffensperger wants lawmakers to end runoffs next session',
      'Raffensperger wants lawmakers to end runoffs this session',
    ],
    [
      'Noem to cut CISA election security program next fiscal year',
      'Noem to cut CISA election security program this fiscal year',
    ],
    ['Trump fires CISA director Chris Krebs', 'Trump fires other top CISA officials'],
    [
      'Sterling: Fulton County still counting absentee ballots',
      'Sterling: only Fulton County still counting absentee ballots',
    ],
    ['Fulton hand count found Trump ballots in Biden batch', 'Fulton hand count found Biden ballots in Trump batch'],
    ['Cobb County ballots found in Fulton County batch', 'Fulton County ballots found in Cobb County batch'],
    [
      'Krebs: Russia, not China, is top threat to midterm elections',
      'Krebs: China, not Russia, is top threat to midterm elections',
    ],
    ['Raffensperger keeps Trump on Georgia primary ballot', 'Raffensperger keeps Trump off Georgia primary ballot'],
    [
      'Sterling argues against hand count rule at State Election Board',
      'Sterling argues for hand count rule at State Election Board',
    ],
    ['Sterling: Fulton hand count over-counted Biden votes', 'Sterling: Fulton hand count under-counted Biden votes'],
    ['CISA cuts 30 percent of election security staff', 'CISA cuts 30 election security staff'],
    [
      'CISA election security staffer placed on administrative leave',
      'CISA election security staffers placed on administrative leave',
    ],
    [
      'Georgia hand audit: county finds uncounted memory card',
      'Georgia hand audit: county finds uncounted memory cards',
    ],
    [
      "Sterling: secretary of state's office gets 100 threats per week",
      "Sterling: secretary of state's office gets 100 threats per day",
    ],
    ['Raffensperger: most Georgians trust election results', 'Raffensperger: most Americans trust election results'],
    [
      'Raffensperger pushes Georgia constitutional amendment on citizenship voting',
      'Raffensperger pushes U.S. constitutional amendment on citizenship voting',
    ],
    ['CISA fires election security staff', 'CISA fires cyber defense staff'],
    [
      'CISA warns Chinese hackers targeting US infrastructure',
      'CISA warns Chinese hackers targeting US election systems',
    ],
    [
      'Raffensperger suit moved from state court to federal court',
      'Raffensperger suit moved from federal court to state court',
    ],
    [
      'Sterling: in-person turnout outpacing mail ballots in Georgia runoff',
      'Sterling: mail ballots outpacing in-person turnout in Georgia runoff',
    ],
  ])('keeps "%s" and "%s" apart', (first, later) => {
    expect(joins(first, later)).toMatchObject({ joins: false });
  });

  it('reads one slot of the same sentence changed as another fact only when it is no title, act or name', () => {
    // A title or the person's own name in the slot: the same firing.
    expect(
      joins('Krebs leaves SentinelOne, former CISA director says', 'Krebs leaves SentinelOne, ex-CISA chief says'),
    ).toMatchObject({ joins: true });
    expect(joins('Trump fires CISA director Chris Krebs', 'Trump fires CISA chief Chris Krebs')).toMatchObject({
      joins: true,
    });
    // The evidence names the slot: what the item says in place of the story's words.
    expect(
      joins(
        'Raffensperger: most Georgians trust election results',
        'Raffensperger: most Americans trust election results',
      ).newActs,
    ).toEqual(['american for georgia']);
    // A name and its title the other way round are one person.
    expect(
      joins(
        'Trump fires Christopher Krebs, director of CISA, by tweet',
        'Trump fires CISA director Christopher Krebs in a tweet',
      ),
    ).toMatchObject({ joins: true });
    // A passive turned round is the same act, for the act rules to read.
    expect(
      joins(
        'Georgia: Trump fires Krebs over fraud claims, report says',
        'Georgia: Krebs fired by Trump over fraud claims, report says',
      ),
    ).toMatchObject({ joins: true });
  });

  it.each([
    [
      'Georgia investigates attempted hack of voter registration system, Raffensperger says',
      'Georgia investigates hack of voter registration system, Raffensperger says',
    ],
    ["Judge temporarily halts Raffensperger's voter roll purge", "Judge halts Raffensperger's voter roll purge"],
    ['Trump names acting CISA director', 'Trump names CISA director'],
    [
      'Raffensperger: fewer than 1,000 noncitizens on Georgia voter rolls',
      'Raffensperger: more than 1,000 noncitizens on Georgia voter rolls',
    ],
    ['CISA lays off staff', 'CISA lays off election security staff'],
    ['Raffensperger certifies Georgia results', 'Raffensperger certifies Georgia audit results'],
  ])('keeps "%s" and "%s", one word hedging or added, apart', (first, later) => {
    expect(joins(first, later)).toMatchObject({ joins: false });
  });

  it("reads a watchdog's, a committee's or a resolution's reaction as an act of its own", () => {
    expect(
      joins('CISA cuts election security staff', "Inspector general slams CISA's cuts to election security staff"),
    ).toMatchObject({ joins: false });
    expect(
      joins(
        'Trump fires CISA director Chris Krebs',
        "Senate Democrats introduce resolution condemning Trump's firing of Chris Krebs",
      ),
    ).toMatchObject({ joins: false });
    // A party's or a person's reaction still joins the act it reacts to.
    expect(
      joins('Trump fires CISA director Chris Krebs', "Democrats condemn Trump's firing of Chris Krebs"),
    ).toMatchObject({ joins: true });
  });

  it('joins a retelling that only drops a word, or adds a place, a title or who said it', () => {
    expect(joins("Georgia hand recount confirms Biden's win", "Georgia recount confirms Biden's win")).toMatchObject({
      joins: true,
    });
    expect(
      joins(
        'Raffensperger testifies before Fulton County special grand jury',
        'Raffensperger testifies before Fulton special grand jury',
      ),
    ).toMatchObject({ joins: true });
    expect(
      joins(
        'Election Assistance Commission audits Georgia election grants',
        'U.S. Election Assistance Commission audits Georgia election grants',
      ),
    ).toMatchObject({ joins: true });
    expect(
      joins(
        "Gabriel Sterling: no fraud found, Georgia won't recount",
        'Gabriel Sterling: no fraud found, Georgia will not recount',
      ),
    ).toMatchObject({ joins: true });
  });

  it('reads names the other way round only where the words between read one way', () => {
    // A meeting, a list or a passive's doer reads either way: the same event.
    expect(
      joins('Kemp meets Raffensperger over election board rules', 'Raffensperger meets Kemp over election board rules'),
    ).toMatchObject({ joins: true });
    expect(
      joins(
        'Fulton hand count found Trump ballots in Biden batch',
        'Fulton hand count finds Trump ballots in Biden batch, Sterling says',
      ),
    ).toMatchObject({ joins: true });
  });

  it('reads "ahead of" a time as before it, and a wire\'s revision number as no figure', () => {
    expect(headlineNumbers('UPDATE 3-Trump fires U.S. election cybersecurity official Krebs')).toEqual([]);
    expect(headlineNumbers('CISA cuts 30% of staff')).toEqual(headlineNumbers('CISA cuts 30 percent of staff'));
    expect(
      joins(
        'Georgia recount to finish before Thanksgiving, Sterling says',
        'Sterling says Georgia recount will finish ahead of Thanksgiving',
      ),
    ).toMatchObject({ joins: true });
  });
});
