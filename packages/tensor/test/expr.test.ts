import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, mapExpr, tensor, validateExpr } from '../src';
import { f32, values } from './helpers';

const z = tensor([-2, -0.25, 0, 0.25, 2]);

describe('mapExpr', () => {
  it('evaluates formulas with params', () => {
    expect(values(mapExpr('abs(z) <= w ? 1 / (2 * w) : 0', { z }, { w: 0.5 }))).toEqual([0, 1, 1, 1, 0]);
    expect(values(mapExpr('z * k + c', { z }, { k: 2, c: 1 }))).toEqual([-3, 0.5, 1, 1.5, 5]);
  });
  it('reuses one compiled formula for every parameter value', () => {
    const expr = 'z > t ? 1 : 0';
    expect(values(mapExpr(expr, { z }, { t: 0 }))).toEqual([0, 0, 0, 1, 1]);
    expect(values(mapExpr(expr, { z }, { t: -1 }))).toEqual([0, 1, 1, 1, 1]);
  });
  it('provides the prelude: sign(±0)=1, sign(NaN)=NaN, erf (A–S 7.1.26), PI, min/max/pow/floor/exp/log/sqrt/tanh', () => {
    expect(values(mapExpr('sign(z)', { z }))).toEqual([-1, -1, 1, 1, 1]);
    expect(values(mapExpr('sign(z)', { z: tensor([-0, NaN, -Infinity, Infinity]) }))).toEqual([
      1,
      NaN,
      -1,
      1,
    ]);
    const erf = values(mapExpr('erf(z)', { z: tensor([0, 0.5, 1, -1, 3]) }));
    const exact = [0, 0.5204998778, 0.8427007929, -0.8427007929, 0.9999779095];
    erf.forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThan(3e-7));
    expect(values(mapExpr('PI * z', { z: tensor([1]) }))).toEqual([f32(Math.PI)]);
    expect(values(mapExpr('min(a, b) + max(a, b) * 10', { a: tensor([1, 5]), b: tensor([3, 2]) }))).toEqual([
      31, 52,
    ]);
    expect(values(mapExpr('pow(z, 2) + floor(z)', { z: tensor([1.5]) }))).toEqual([3.25]);
    expect(values(mapExpr('exp(log(sqrt(z))) + tanh(0)', { z: tensor([4]) }))).toEqual([2]);
  });
  it('checks the number of arguments of each built-in', () => {
    expect(() => mapExpr('min(z, 1, 2)', { z })).toThrow(/min takes 2 arguments, got 3/);
    expect(() => mapExpr('sign()', { z })).toThrow(/sign takes 1 argument, got 0/);
  });
  it('reads several same-shaped inputs and logical operators', () => {
    const a = tensor([
      [1, 0],
      [1, 1],
    ]);
    const b = tensor([
      [1, 1],
      [0, 1],
    ]);
    const r = mapExpr('(a > 0 && b > 0) || !(a < 2) ? 1 : 0', { a, b });
    expect(r.shape).toEqual([2, 2]);
    expect(values(r)).toEqual([1, 0, 0, 1]);
    expect(values(mapExpr('a == b ? 1 : a != b ? 2 : 3', { a, b }))).toEqual([1, 2, 2, 1]);
  });
  it('returns float32 even for int32 inputs', () => {
    expect(mapExpr('z / 2', { z: tensor(new Int32Array([3])) }).dtype).toBe('float32');
  });
  it('rejects inputs of different shapes', () => {
    expect(() => mapExpr('a + b', { a: tensor([1, 2]), b: tensor([1]) })).toThrow(ShapeError);
  });
});

describe('validateExpr', () => {
  const reject = (expr: string, token: string): void => {
    expect(() => validateExpr(expr, ['z'], ['w'])).toThrow(ArgumentError);
    expect(() => validateExpr(expr, ['z'], ['w'])).toThrow(`'${token}'`);
  };
  it('returns classified tokens for valid expressions', () => {
    expect(validateExpr('exp(-z) * w + PI + 1.5e-3', ['z'], ['w']).map((t) => t.kind)).toEqual([
      'function',
      'operator',
      'operator',
      'name',
      'operator',
      'operator',
      'param',
      'operator',
      'constant',
      'operator',
      'number',
    ]);
  });
  it('rejects member access, brackets, assignment, strings and arrows', () => {
    reject('z.constructor', '.');
    reject('Math.exp(z)', 'Math');
    reject('z[0]', '[');
    reject('z = 1', '=');
    reject("'a'", "'");
    reject('(z) => z', '=>');
    reject('z++', '++');
    reject('z % 2', '%');
    reject('z; w', ';');
  });
  it('rejects unknown identifiers, keywords and regular expressions', () => {
    reject('y + 1', 'y');
    reject('this', 'this');
    reject('new Function', 'new');
    reject('constructor', 'constructor');
    reject('(/z/)', '/');
    reject('z //comment', '/');
  });
  it('rejects bad names and empty expressions', () => {
    expect(() => validateExpr('1', ['exp'], [])).toThrow(/hide the built-in 'exp'/);
    expect(() => validateExpr('1', ['a b'], [])).toThrow(/input name 'a b' is not allowed/);
    expect(() => validateExpr('1', ['for'], [])).toThrow(ArgumentError);
    expect(() => validateExpr('1', ['z'], ['z'])).toThrow(/used twice/);
    expect(() => validateExpr('  ', ['z'], [])).toThrow(/empty/);
  });
  it('is enforced by mapExpr before anything is compiled', () => {
    expect(() => mapExpr('z.constructor', { z })).toThrow(ArgumentError);
    expect(() => mapExpr('z * w', { z }, { w: NaN })).toThrow(/param 'w'/);
    expect(() => mapExpr('z +', { z })).toThrow(ArgumentError);
  });
});
