// A new development about a tracked person alerts, though an earlier headline used the same words: an act first
// weighed, threatened, asked about or denied, then done; the same headline naming the person otherwise over another
// lead; a word in another sense than the act it can name. Shipped path, on a young term table and on one that has read
// other news.
import { backgroundNews, type FeedItem, runScenario } from './support/development-scenario';

const background = backgroundNews();

async function expectBothAlert(story: FeedItem, development: FeedItem, withBackground: boolean) {
  const result = await runScenario([story, development], withBackground ? { background } : {});
  expect(result.alerted).toContain(story.title);
  // The join's reason and shared terms are in the message when it fails, as poll --explain prints them.
  expect({ development: development.title, joinedAs: result.joins }).toEqual({
    development: development.title,
    joinedAs: [],
  });
}

const tables = [
  ['a young term table', false],
  ['a term table that has read other news', true],
] as const;

/** Between the story's outlet and the development's, `hours` apart. */
const REUTERS_THEN_AP = { from: 'Reuters', to: 'AP', hours: 20 };

/** On both term tables: each story headline, then its development from another outlet, and both must alert. */
function eachPairAlerts(what: string, pairs: [string, string][], apart = REUTERS_THEN_AP) {
  describe.each(tables)(`${what} (%s)`, (_table, withBackground) => {
    it.each(pairs)('"%s", then "%s"', (story, development) =>
      expectBothAlert(
        { title: story, hour: 0, feed: apart.from },
        { title: development, hour: apart.hours, feed: apart.to },
        withBackground,
      ),
    );
  });
}

eachPairAlerts('an act reported as not done yet, then done, alerts', [
  ['Trump may fire CISA director Chris Krebs', 'Trump fires CISA director Chris Krebs'],
  ['Trump weighs firing CISA director Chris Krebs', 'Trump fires CISA director Chris Krebs'],
  ['White House denies report Trump fired CISA director Chris Krebs', 'Trump fires CISA director Chris Krebs'],
  ['Chris Krebs says he will not resign despite pressure from Trump', 'Chris Krebs resigns under pressure from Trump'],
  ['Will Chris Krebs testify before Congress?', 'Chris Krebs testifies before Congress'],
  ['Brad Raffensperger could certify Georgia results Friday', 'Brad Raffensperger certifies Georgia results'],
  ['Gabriel Sterling: recount could find more ballots', 'Gabriel Sterling: recount finds more ballots'],
  ['Katie Hobbs threatens to veto Arizona budget', 'Katie Hobbs vetoes Arizona budget'],
  ['Will Katie Hobbs veto the border bill?', 'Katie Hobbs vetoes border bill'],
  ['Katie Hobbs says she will not sign Republican budget', 'Katie Hobbs signs Republican budget'],
  [
    "Ann Jacobs says she won't resign from Wisconsin Elections Commission",
    'Ann Jacobs resigns from Wisconsin Elections Commission',
  ],
  ['Jena Griswold to announce run for Congress', 'Jena Griswold announces run for Congress'],
]);

describe.each(tables)('the same headline naming the person otherwise, over another lead, alerts (%s)', (_t, bg) => {
  const HAND_COUNT =
    'Arizona Gov. Katie Hobbs on Tuesday vetoed a Republican measure that would have required a hand count of every ' +
    'ballot in counties with more than 100,000 voters.';
  const PRIMARY_DATE =
    'Arizona Gov. Katie Hobbs on Thursday vetoed a Republican measure that would have moved the state’s 2026 primary ' +
    'election from August to June.';
  it.each([['Gov. Katie Hobbs vetoes election bill'], ['Hobbs vetoes election bill']])('"%s"', (title) =>
    expectBothAlert(
      { title: 'Katie Hobbs vetoes election bill', summary: HAND_COUNT, hour: 0, feed: 'Arizona Mirror' },
      { title, summary: PRIMARY_DATE, hour: 48, feed: 'KJZZ' },
      bg,
    ),
  );
});

eachPairAlerts('the same count in one county after the state’s, or in another county, alerts', [
  [
    "Gabriel Sterling: Georgia hand recount confirms Biden's win",
    "Gabriel Sterling: Fulton County recount confirms Biden's win",
  ],
  [
    'Cobb County man charged with threatening Raffensperger',
    'Forsyth County man charged with threatening Raffensperger',
  ],
]);

eachPairAlerts('another weekday, or a vote, a hearing or a certification announced or required and then held, alerts', [
  [
    'Sterling: Georgia hand recount expected to finish Wednesday',
    'Sterling: Georgia hand recount now expected to finish Friday',
  ],
  ['Georgia GOP committee to vote on censuring Raffensperger', 'Georgia GOP committee votes to censure Raffensperger'],
  [
    'Katie Hobbs: Cochise County must certify election results by Thursday',
    'Cochise County certifies election results, Katie Hobbs says',
  ],
  ['Georgia GOP committee fails to censure Raffensperger', 'Georgia GOP committee censures Raffensperger'],
]);

eachPairAlerts('the person’s aide doing what the person did, or the other way round, alerts', [
  [
    'Raffensperger aide testifies before Fulton County special grand jury',
    'Raffensperger testifies before Fulton County special grand jury',
  ],
  ['Trump fires CISA director Chris Krebs', 'Trump ousts CISA deputy Matthew Travis'],
]);

eachPairAlerts('a reaction or an attack the other way round alerts', [
  [
    'Trump slams Raffensperger over Georgia election results',
    'Raffensperger slams Trump over Georgia election results',
  ],
  [
    'Kari Lake blasts Stephen Richer over Maricopa County election',
    'Stephen Richer blasts Kari Lake over Maricopa County election',
  ],
]);

eachPairAlerts('a decision for someone after one against them alerts', [
  ['Judge rules against Jena Griswold in ballot access case', 'Judge rules for Jena Griswold in ballot access case'],
  ['Court sides against Raffensperger on voter rolls', 'Court sides with Raffensperger on voter rolls'],
]);

eachPairAlerts('the same firing or hiring of another post, no one named, alerts', [
  ['Katie Hobbs fires state health director', 'Katie Hobbs fires top aide'],
  ['Stephen Richer fires Maricopa County elections director', 'Stephen Richer fires spokesman'],
  ['Katie Hobbs names new state elections director', 'Katie Hobbs names new top aide'],
]);

eachPairAlerts(
  'a word in another sense than the act it can name tells no act',
  [
    ["Chris Krebs dismisses Trump's voter fraud claims", 'Trump fires Chris Krebs'],
    ["CISA director Chris Krebs dismisses Trump's election fraud claims", 'Trump fires CISA director Chris Krebs'],
    ['Court hearing set in Tina Peters case; Jena Griswold to attend', 'Tina Peters sues Jena Griswold'],
    [
      'Trump campaign sues Katie Hobbs to stop use of ballot drop boxes',
      'Trump campaign drops lawsuit against Katie Hobbs',
    ],
    [
      'Chris Krebs testifies before Senate panel on election security',
      'CHRIS KREBS TESTIFIES BEFORE HOUSE PANEL ON ELECTION SECURITY',
    ],
  ],
  { from: 'Reuters', to: 'AP', hours: 8 },
);

describe('an outlet’s recurring headline under a new link, days apart', () => {
  const KEV = 'CISA Adds One Known Exploited Vulnerability to Catalog';
  /** A Google News copy: title and publisher, a summary that only repeats them. */
  const googleNews = (publisher: string, hour: number, id: number): FeedItem => ({
    title: `${KEV} - ${publisher}`,
    summary: `<a href="https://news.google.com/rss/articles/${id}">${KEV}</a>&nbsp;&nbsp;<font color="#6f6f6f">${publisher}</font>`,
    publisher,
    feed: 'Google News - CISA',
    hour,
    link: `https://news.google.com/rss/articles/kev-${id}?oc=5`,
  });

  it('alerts every release, each its own event, however often the title recurs', async () => {
    const hours = [0, 40, 90, 140, 190];
    const result = await runScenario(
      hours.map((hour, index) => googleNews('CISA', hour, index)),
      { background },
    );
    expect({ alerts: result.alerted.length, joins: result.joins }).toEqual({ alerts: 5, joins: [] });
  });

  it('alerts the next release though another outlet’s copy of the last one joined its story', async () => {
    /** CISA's own news feed beside the Google News query: its publisher is the feed's name. */
    const direct = (hour: number, id: string): FeedItem => ({
      title: KEV,
      feed: 'CISA News',
      hour,
      link: `https://www.cisa.gov/news-events/alerts/2024/03/${id}/cisa-adds-one-known-exploited-vulnerability-catalog`,
    });
    const ownFeed = await runScenario(
      [googleNews('CISA', 15, 1), direct(16.5, '04'), googleNews('CISA', 60, 2), direct(60.5, '06')],
      {
        background,
      },
    );
    expect(ownFeed.alerted).toEqual([KEV, KEV]);
    const syndicated = await runScenario(
      [googleNews('CISA', 0, 3), googleNews('Security Affairs', 20, 4), googleNews('CISA', 60, 5)],
      {
        background,
      },
    );
    expect(syndicated.alerted).toEqual([KEV, KEV]);
  });

  it('still gives one alert for the same headline from other outlets', async () => {
    const result = await runScenario([googleNews('CISA', 0, 10), googleNews('SecurityWeek', 2, 11)]);
    expect(result.alerts.map((alert) => alert.title)).toEqual([KEV]);
  });
});

describe('a generic headline on Google News, then the same headline from another outlet a day later', () => {
  const UPDATE = 'Gabriel Sterling gives update on Georgia election';
  const copy: FeedItem = {
    title: `${UPDATE} - 11Alive`,
    summary: `<a href="https://news.google.com/rss/articles/upd">${UPDATE}</a>&nbsp;&nbsp;<font color="#6f6f6f">11Alive</font>`,
    publisher: '11Alive',
    feed: 'Google News - Sterling',
    hour: 0,
    link: 'https://news.google.com/rss/articles/upd?oc=5',
  };
  const lead =
    'Sterling said the hand recount turned up 2,600 uncounted ballots in Floyd County, which will be added to the totals.';

  it.each(tables)('alerts the next day’s update, told in its lead (%s)', async (_table, withBackground) => {
    const result = await runScenario(
      [copy, { title: UPDATE, summary: lead, feed: 'WSB-TV', hour: 26 }],
      withBackground ? { background } : {},
    );
    expect({ alerts: result.alerted.length, joins: result.joins }).toEqual({ alerts: 2, joins: [] });
  });

  it('still joins the same headline over a lead within hours: a copy of the one update', async () => {
    const result = await runScenario([copy, { title: UPDATE, summary: lead, feed: 'WSB-TV', hour: 2 }]);
    expect(result.alerted).toEqual([UPDATE]);
  });
});

eachPairAlerts(
  'an official’s recurring act whose object is in a trailing clause alerts',
  [
    ['Katie Hobbs signs bill for tribal water settlement', 'Katie Hobbs signs bill for child care funding'],
    [
      'Katie Hobbs nominee for water department rejected by Senate panel',
      'Katie Hobbs nominee for health department rejected by Senate panel',
    ],
    ['Adrian Fontes sues Cochise County over hand count', 'Adrian Fontes sues Cochise County over refusal to certify'],
    [
      'Chris Krebs sues Trump campaign lawyer over death threat remarks',
      'Chris Krebs sues Trump campaign lawyer over leaked emails',
    ],
    [
      'US cyber agency issues emergency directive after hack of Ivanti devices',
      'US cyber agency issues emergency directive after hack of email systems',
    ],
    [
      'Judge rules against Jena Griswold over ballot access rules',
      'Judge rules against Jena Griswold over campaign finance complaint',
    ],
    [
      'Election Assistance Commission awards grants for election security',
      'Election Assistance Commission awards grants for poll worker recruitment',
    ],
  ],
  { from: 'AZ Mirror', to: 'KJZZ', hours: 30 },
);

eachPairAlerts('an act named as pending after it, then done, alerts', [
  ['Katie Hobbs veto expected on border bill', 'Katie Hobbs vetoes border bill'],
  ['Katie Hobbs veto looms for border bill', 'Katie Hobbs vetoes border bill'],
  ['Katie Hobbs issues veto threat on border bill', 'Katie Hobbs vetoes border bill'],
  ['Katie Hobbs faces veto decision on border bill', 'Katie Hobbs vetoes border bill'],
  ['Chris Krebs testimony before Congress set for Tuesday', 'Chris Krebs testifies before Congress'],
  [
    'Brad Raffensperger certification of Georgia results expected Friday',
    'Brad Raffensperger certifies Georgia results',
  ],
  ['Chris Krebs on the verge of resigning', 'Chris Krebs resigns'],
  ['Chris Krebs says firing by Trump would be an honor', 'Trump fires Chris Krebs'],
]);

eachPairAlerts('an act named as not done, then reported done in a question, alerts', [
  ['Trump may fire Chris Krebs', 'Did Trump just fire Chris Krebs?'],
  ['Trump may fire CISA director Chris Krebs', 'Why did Trump fire CISA director Chris Krebs?'],
  ['Trump weighs firing CISA director Chris Krebs', 'Who is Chris Krebs, the CISA director Trump fired?'],
  ['Will Chris Krebs testify before Congress?', 'Why did Chris Krebs testify before Congress?'],
  ['Katie Hobbs threatens to veto border bill', 'Why did Katie Hobbs veto the border bill?'],
]);

eachPairAlerts('a ruling in another court alerts', [
  [
    'Fulton judge dismisses voter roll lawsuit against Raffensperger',
    'Federal judge dismisses voter roll lawsuit against Raffensperger',
  ],
  [
    'Federal judge tosses Krebs defamation suit against Newsmax',
    'Appeals court tosses Krebs defamation suit against Newsmax',
  ],
  ['Cobb County judge rejects Raffensperger bid', 'Gwinnett County judge rejects Raffensperger bid'],
]);

eachPairAlerts('a denial after the claim, or the claim after a denial, alerts', [
  [
    'CISA says its networks were not breached in SolarWinds hack',
    'CISA says its networks were breached in SolarWinds hack',
  ],
  [
    'CISA says its networks were breached in SolarWinds hack',
    'CISA says its networks were not breached in SolarWinds hack',
  ],
  [
    "Raffensperger's office denies Coffee County voting system was breached",
    "Raffensperger's office says Coffee County voting system was breached",
  ],
  [
    'Georgia audit finds no evidence of fraud, Raffensperger says',
    'Georgia audit finds evidence of fraud, Raffensperger says',
  ],
  ['Jen Easterly denies plans to leave CISA', 'Jen Easterly plans to leave CISA'],
]);

eachPairAlerts('another number alerts', [
  [
    'CISA adds 3 known exploited vulnerabilities to catalog',
    'CISA adds five known exploited vulnerabilities to catalog',
  ],
  [
    'Jena Griswold certifies Proposition 7 for Colorado ballot',
    'Jena Griswold certifies Proposition 8 for Colorado ballot',
  ],
]);

eachPairAlerts('the same act done to another tracked person alerts', [
  ['Trump fires CISA director Chris Krebs', "Trump fires CISA's Matthew Masterson"],
  ["Trump fires CISA's Matthew Masterson", 'Trump fires CISA director Chris Krebs'],
  [
    'Former CISA director Chris Krebs joins Stanford Internet Observatory',
    'Former CISA official Matt Masterson joins Stanford Internet Observatory',
  ],
]);

eachPairAlerts('the same act the other way round alerts', [
  ['Adrian Fontes sues Cochise County supervisors', 'Cochise County supervisors sue Adrian Fontes'],
  ['Stephen Richer sues Kari Lake for defamation', 'Kari Lake sues Stephen Richer for defamation'],
  ['Fulton County DA subpoenas Raffensperger', 'Raffensperger subpoenas Fulton County DA'],
]);
