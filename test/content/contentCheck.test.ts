import { spawnSync } from 'node:child_process';
import { copyContent } from '../support/contentFixture';
import { distEntry, PROJECT_ROOT } from '../support/dist';

function runCheck(contentDir?: string) {
  const args = [distEntry('bot/cli/contentCheck.js'), ...(contentDir ? [contentDir] : [])];
  return spawnSync(process.execPath, args, { cwd: PROJECT_ROOT, encoding: 'utf8' });
}

describe('npm run content:check (the compiled command)', () => {
  it('passes on the real content', () => {
    const run = runCheck();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Content OK/);
  });

  it('fails on a deliberately broken file, naming file, line and problem', () => {
    const fixture = copyContent();
    try {
      fixture.edit('en-CA/messages.yaml', (text) => text.replace(/^  askSafe: .*$/m, '  askSafe: [1, 2]').replace(/^  empty: .*\n/m, ''));
      const run = runCheck(fixture.dir);
      expect(run.status).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/messages\.yaml:\d+: "errors\.empty" is missing here/),
          expect.stringMatching(/messages\.yaml:\d+: "crisis\.askSafe" should be a list of texts/),
          '2 problem(s) in the content files. Nothing was changed.',
        ]),
      );
    } finally {
      fixture.cleanup();
    }
  });

  it('refuses a lexicon edit that weakens detection, naming the lines it now misses', () => {
    const fixture = copyContent();
    try {
      // An editor writes a "denial" that forgets the negation: "je veux mourir" is cancelled and
      // hidden from the learned stage too.
      fixture.edit('fr-CA/safety-lexicon.yaml', (text) =>
        text.replace('\ndenials:\n', '\ndenials:\n  - id: fr.denial.careless\n    patterns:\n      - "je [@fr_adv] (veux|voudrais) [@fr_adv] (mourir|crever|en finir)"\n'),
      );
      const run = runCheck(fixture.dir);
      expect(run.status).toBe(1);
      // The entry's own examples are the first to go (the corpus is then not even screened).
      expect(run.stderr).toMatch(/safety-lexicon\.yaml:\d+: example \d+ of entry fr\.ideation\.desire is not matched/);
    } finally {
      fixture.cleanup();
    }
  });
});
