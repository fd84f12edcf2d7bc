// Words of the walks of life namesakes are in the news for: sport, obituaries, farm and fair, commerce, science, show business, currency.

/**
 * Written by hand, not learned: a seed learns only the look-alikes its labelled text holds, while namesakes turn up
 * in news of every town (a rookie's first start, a bakery's jubilee). Each profile counts these words on its `other`
 * side. None is a word of the tracked officials' own news: no "election", "county", "board", "wins", "named",
 * "honored", "trial", "veteran" or "senior", which news about them carries as often as news about namesakes.
 */
export const NAMESAKE_WORDS: readonly string[] = [
  // Sport ("baseball", "league", "medal", "season" left out: "Sterling talks baseball", "League of Women Voters").
  'playoff playoffs tournament semifinal semifinals quarterfinal quarterfinals varsity sophomore rookie scholarship',
  'quarterback touchdown touchdowns yards inning innings homer homers pitcher strikeouts rbi rebounds',
  'striker midfielder winger goalkeeper goalie wrestling wrestler softball basketball football soccer volleyball',
  'golf golfer tennis hockey lacrosse swimming swimmer relay sprint marathon olympic olympics mvp stadium ballpark',
  'lineup roster premier chelsea arsenal liverpool squad fixture injury knee hamstring',
  // Obituaries and family life ("dies" left out: a tracked person's death, or a family member's, is news about them).
  'obituary obituaries visitation birthday 100th grandmother grandfather grandson granddaughter',
  // Farm and club ("fair" left out: "free and fair elections"; "harvest": "ballot harvesting").
  'farmer dairy cattle cows crops orchard garden pie bakery recipe church congregation scouts rotary kiwanis',
  // Commerce.
  'cfo dealership realty restaurant menu retail brewery winery earnings dividend investors quarterly',
  // Science and medicine ("cycle" left out: "election cycle").
  'enzyme enzymes cells cancer tumor metabolism mitochondria citric acid protein patients surgery surgeon clinic',
  // Show business.
  'actor actress film movie sitcom album concert singer netflix hollywood',
  // Currency and markets.
  'pound euro currency forex gilts',
]
  .join(' ')
  .split(' ');
