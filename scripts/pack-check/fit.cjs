'use strict';
const { fitLine } = require('./fit-core.cjs');

fitLine(
  {
    tensorPkg: require('@fbt/tensor'),
    autogradPkg: require('@fbt/autograd'),
    others: {
      '@fbt/surrogates': require('@fbt/surrogates'),
      '@fbt/layers': require('@fbt/layers'),
      '@fbt/datasets': require('@fbt/datasets'),
      '@fbt/gpu': require('@fbt/gpu'),
    },
  },
  'CJS',
);
