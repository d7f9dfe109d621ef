import { createRequire } from 'node:module';
import * as tensorPkg from '@fbt/tensor';
import * as autogradPkg from '@fbt/autograd';
import * as surrogates from '@fbt/surrogates';
import * as layers from '@fbt/layers';
import * as datasets from '@fbt/datasets';
import * as gpu from '@fbt/gpu';

const { fitLine } = createRequire(import.meta.url)('./fit-core.cjs');
fitLine(
  {
    tensorPkg,
    autogradPkg,
    others: {
      '@fbt/surrogates': surrogates,
      '@fbt/layers': layers,
      '@fbt/datasets': datasets,
      '@fbt/gpu': gpu,
    },
  },
  'ESM',
);
