import { createRequire } from 'node:module';
import * as tensor from '@fbt/tensor';
import * as autograd from '@fbt/autograd';
import * as surrogates from '@fbt/surrogates';
import * as layers from '@fbt/layers';
import * as layersNode from '@fbt/layers/node';
import * as datasets from '@fbt/datasets';
import * as datasetsNode from '@fbt/datasets/node';
import * as gpu from '@fbt/gpu';

const { fitLine } = createRequire(import.meta.url)('./fit-core.cjs');
await fitLine(
  {
    '@fbt/tensor': tensor,
    '@fbt/autograd': autograd,
    '@fbt/surrogates': surrogates,
    '@fbt/layers': layers,
    '@fbt/layers/node': layersNode,
    '@fbt/datasets': datasets,
    '@fbt/datasets/node': datasetsNode,
    '@fbt/gpu': gpu,
  },
  `ESM, Node ${process.versions.node}`,
);
