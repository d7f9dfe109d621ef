// Shared body of the Node consumer check: given the packages (loaded as ESM or CJS by the caller),
// check that every entry exports something, fit y = 2x + 1 by gradient descent with @fbt/autograd, and
// save a @fbt/layers model with @fbt/layers/node and read it back.
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

async function fitLine(pkgs, label) {
  for (const [name, mod] of Object.entries(pkgs)) {
    if (Object.keys(mod).length === 0) throw new Error(`${label}: ${name} exports nothing`);
  }
  const { Rng, randn, zeros, add, mul, sub, square, mean, addInPlace } = pkgs['@fbt/tensor'];
  const { backward, noGrad } = pkgs['@fbt/autograd'];
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

  const model = new pkgs['@fbt/layers'].Linear(3, 2, { rng });
  const dir = mkdtempSync(join(tmpdir(), 'fbt-consumer-'));
  try {
    const file = join(dir, 'model.safetensors');
    await pkgs['@fbt/layers/node'].saveSafetensorsFile(file, model);
    const loaded = await pkgs['@fbt/layers/node'].loadSafetensorsFile(file);
    const [saved, read] = [model.stateDict().weight.dataSync(), loaded.weight.dataSync()];
    if (read.length !== saved.length || read.some((v, i) => v !== saved[i]))
      throw new Error(`${label}: @fbt/layers/node read back other weights than it saved`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `${label}: fitted y = ${wv.toFixed(4)}x + ${bv.toFixed(4)}, saved and read a model, ${Object.keys(pkgs).length} entries loaded`,
  );
}

module.exports = { fitLine };
