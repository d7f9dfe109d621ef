// Softmax and log-softmax along one axis, seen as `outer` x `n` x `inner` (lines of n elements
// spaced `inner` apart). The maximum is subtracted first; sums and exponentials are float64.
import { at4 } from './plan';
import { Scratch } from './memory';

const exps = new Scratch();

export function softmax(x: usize, out: usize, outer: i32, n: i32, inner: i32, log: bool): void {
  const e = exps.get((<usize>n) << 3);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * n * inner + i;
      const end = start + n * inner;
      let m: f32 = -Infinity;
      for (let j = start; j < end; j += inner) {
        const v = load<f32>(at4(x, j));
        if (v > m) m = v;
      }
      let s: f64 = 0;
      if (log) {
        for (let j = start; j < end; j += inner) s += Math.exp(<f64>load<f32>(at4(x, j)) - <f64>m);
        const shift = <f64>m + Math.log(s);
        for (let j = start; j < end; j += inner)
          store<f32>(at4(out, j), <f32>(<f64>load<f32>(at4(x, j)) - shift));
      } else {
        for (let j = start, k = 0; j < end; j += inner, k++) {
          const v = Math.exp(<f64>load<f32>(at4(x, j)) - <f64>m);
          store<f64>(e + ((<usize>k) << 3), v);
          s += v;
        }
        for (let j = start, k = 0; j < end; j += inner, k++) {
          store<f32>(at4(out, j), <f32>(load<f64>(e + ((<usize>k) << 3)) / s));
        }
      }
    }
  }
}
