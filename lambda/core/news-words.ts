// Words that say nothing about who or what a news item is about, shared by story terms and topic terms.

/** English grammar words. */
export const FUNCTION_WORDS: readonly string[] = (
  'a about above after again against all also am amid an and any are as at be because been before being below ' +
  'between both but by can could did do does doing down during each few for from further had has have having he ' +
  'her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once ' +
  'only or other our out over own same she should so some such than that the their theirs them then there these ' +
  'they this those through to too under until up very was we were what when where which while who whom why will ' +
  'with would you your yours'
).split(' ');

/** Attribution, packaging and days of the week: words any headline can carry. */
export const NEWS_FILLER: readonly string[] = (
  'say says said saying tell tells told according report reports reported reportedly via ' +
  'news update updates live watch video photos exclusive breaking analysis opinion ' +
  'monday tuesday wednesday thursday friday saturday sunday today yesterday week day'
).split(' ');
