'use strict';
const { fitLine } = require('./fit-core.cjs');

fitLine(
  {
    '@fbt/tensor': require('@fbt/tensor'),
    '@fbt/autograd': require('@fbt/autograd'),
    '@fbt/surrogates': require('@fbt/surrogates'),
    '@fbt/layers': require('@fbt/layers'),
    '@fbt/layers/node': require('@fbt/layers/node'),
    '@fbt/datasets': require('@fbt/datasets'),
    '@fbt/datasets/node': require('@fbt/datasets/node'),
    '@fbt/gpu': require('@fbt/gpu'),
  },
  `CJS, Node ${process.versions.node}`,
).catch((error) => {
  console.error(error);
  process.exit(1);
});
