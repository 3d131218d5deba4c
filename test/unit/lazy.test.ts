import * as assert from 'node:assert/strict';
import { lazy } from '../../src/core/lazy';

describe('lazy (modules required on first use)', () => {
  it('makes the value on the first call only, and keeps it, even when it is undefined', () => {
    let made = 0;
    const value = lazy(() => ({ n: ++made }));
    assert.equal(made, 0);
    const first = value();
    assert.equal(value(), first);
    assert.deepEqual(first, { n: 1 });
    let undefinedMade = 0;
    const nothing = lazy(() => {
      undefinedMade++;
      return undefined;
    });
    nothing();
    nothing();
    assert.equal(undefinedMade, 1);
  });
});
