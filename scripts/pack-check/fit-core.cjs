// Shared body of the packed-tarball check: given the packages (loaded as ESM or CJS by the caller),
// import every public package's entry, then fit y = 2x + 1 by gradient descent with @fbt/autograd.
'use strict';

function fitLine({ tensorPkg, autogradPkg, others }, label) {
  for (const [name, mod] of Object.entries(others)) {
    if (Object.keys(mod).length === 0) throw new Error(`${label}: ${name} exports nothing`);
  }
  const { Rng, randn, zeros, add, mul, sub, square, mean, addInPlace } = tensorPkg;
  const { backward, noGrad } = autogradPkg;
  const rng = new Rng(0);
  const x = randn([64, 1], rng);
  const y = add(mul(x, 2), 1);
  const w = zeros([1, 1]);
  const b = zeros([1]);
  w.requiresGrad = true;
  b.requiresGrad = true;
  for (let step = 0; step < 200; step++) {
    w.grad = null;
    b.grad = null;
    const loss = mean(square(sub(add(mul(x, w), b), y)));
    backward(loss);
    noGrad(() => {
      addInPlace(w, w.grad, -0.1);
      addInPlace(b, b.grad, -0.1);
    });
  }
  const [wv, bv] = [w.dataSync()[0], b.dataSync()[0]];
  if (Math.abs(wv - 2) > 1e-3 || Math.abs(bv - 1) > 1e-3)
    throw new Error(`${label}: fit gave w=${wv}, b=${bv}`);
  console.log(
    `${label}: fitted y = ${wv.toFixed(4)}x + ${bv.toFixed(4)} with ${Object.keys(others).length + 2} packages loaded`,
  );
}

module.exports = { fitLine };
