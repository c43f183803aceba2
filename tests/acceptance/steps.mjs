// Sequential scenario steps on top of node:test: once a step fails, the later steps of the same
// scenario are skipped instead of failing in a cascade that hides the first cause.
import { it } from 'node:test';

export function scenario() {
  let broken = null;
  return function step(name, fn) {
    it(name, async (t) => {
      if (broken) {
        t.skip(`skipped: earlier step failed (${broken})`);
        return;
      }
      try {
        await fn(t);
      } catch (e) {
        broken = name;
        throw e;
      }
    });
  };
}
