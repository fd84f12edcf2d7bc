// `news-alerts demo`: two polls of the bundled sample feeds over loopback; the first alerts, the second sends nothing.
import { tmpdir } from 'node:os';
import { runCli } from './run-cli';

describe('news-alerts demo', () => {
  it('alerts the seed story and the other real matches once, never the look-alikes, and nothing on poll 2', async () => {
    const result = await runCli(['demo'], { cwd: tmpdir() });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const [intro, firstPoll, secondPoll] = result.stdout.split(/^== Poll \d.*==$/m);
    expect(intro).toContain('no network needed');

    const alertTitles = (firstPoll ?? '')
      .split('\n')
      .filter((line) => line.startsWith('['))
      .map((line) => line.replace(/^\[[^\]]*\] /, ''));
    expect(alertTitles).toEqual(
      expect.arrayContaining([
        'Trump fires US election security official Christopher Krebs',
        expect.stringContaining('Matthew Masterson'),
        expect.stringContaining('Gabriel Sterling'),
      ]),
    );
    // NPR's interview of the fired official says more than the firing: it is not silenced, it alerts marked as a
    // follow-up of the firing story.
    expect(alertTitles).toContain('Fired CISA director Chris Krebs: \u2018We did it right\u2019');
    expect(firstPoll).toContain(
      'Fired CISA director Chris Krebs: \u2018We did it right\u2019\n  Follow-up to: Trump fires US election security official Christopher Krebs, ',
    );
    // The seed story also comes through Google News under another GUID and link: still one alert.
    expect(alertTitles.filter((title) => title.includes('Trump fires'))).toHaveLength(1);
    for (const lookAlike of ['Brian Krebs', 'Krebs cycle', 'Pound sterling', 'Raffensperger', 'audits']) {
      expect(alertTitles.join('\n')).not.toContain(lookAlike);
    }
    expect(firstPoll).toContain(`${alertTitles.length} new alert(s).`);
    expect(firstPoll).toMatch(/older match\(es\) recorded without alert \(first poll\)/);

    expect(secondPoll).toContain('1 unchanged (304)');
    expect(secondPoll).toContain('0 new alert(s).');
    expect(secondPoll).toContain('Nothing new: the second poll sent no alert.');
  });
});
