// The suggested exclude: a bigram holding the entity's name, shared by the wrong alerts and absent from the others.
import { suggestExclude } from '../../lambda/core/feedback';

const KREBS = { name: 'Christopher Krebs', aliases: ['Christopher Krebs', 'Chris Krebs'], ambiguous: ['Krebs'] };

describe('suggestExclude', () => {
  it('picks the bigram holding a name word that most wrong alerts share and no other alert has', () => {
    expect(
      suggestExclude(
        KREBS,
        ['Krebs Hall hosts debate', 'Flood closes Krebs Hall', 'Krebs Hall reopens; Krebs Cycle lecture'],
        ['Chris Krebs testifies on election security'],
      ),
    ).toEqual({ phrase: 'krebs hall', wrongAlerts: 3 });
  });

  it('suggests nothing from a single wrong alert, nor a phrase the right alerts also use', () => {
    expect(suggestExclude(KREBS, ['Krebs Hall hosts debate'], [])).toBeUndefined();
    expect(
      suggestExclude(
        KREBS,
        ['Krebs Hall hosts debate', 'Flood closes Krebs Hall'],
        ['Chris Krebs speaks at Krebs Hall'],
      ),
    ).toBeUndefined();
  });

  it('ignores shared pairs without a word of the name: such an exclude would silence nothing', () => {
    expect(suggestExclude(KREBS, ['Voters line up, says Krebs', 'Voters line up early'], [])).toBeUndefined();
  });

  it('folds case, accents and curly quotes as the matcher does', () => {
    expect(suggestExclude(KREBS, ['KREBS’ Café opens', 'krebs’ café closes'], [])).toEqual({
      phrase: 'krebs cafe',
      wrongAlerts: 2,
    });
  });
});
