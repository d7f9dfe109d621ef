import type { KernelDef, TensorInfo } from '../../../backend/interface';
import { evaluateFormula } from '../formula';
import { valuesOf } from '../io';

/**
 * Writes `expr` (over the target `t`, the optional second input `o`, and the parameters) into the
 * target's own typed array: the kernel returns the target itself, so no storage is reallocated.
 */
function updateInPlace(
  kernelName: string,
  expr: string,
  paramName: string | null,
): KernelDef<Record<string, number>> {
  return {
    kernelName,
    kernelFunc: (inputs, attrs, backend): TensorInfo => {
      const target = inputs[0]!;
      const values = valuesOf(backend, target);
      const operands = inputs.map((info) => ({ values: valuesOf(backend, info), shape: info.shape }));
      const names = ['t', 'o'].slice(0, inputs.length);
      const paramNames = paramName === null ? [] : [paramName];
      const params = Float64Array.from(paramNames, (p) => attrs[p]!);
      evaluateFormula({ expr, names, paramNames }, values, target.shape, operands, params);
      return target;
    },
  };
}

const fillInPlace: KernelDef<{ value: number }> = {
  kernelName: 'fillInPlace',
  kernelFunc: (inputs, attrs, backend) => {
    const target = inputs[0]!;
    valuesOf(backend, target).fill(attrs.value);
    return target;
  },
};

/** CPU kernels of the in-place family (optimizer updates): each writes into its first input. */
export const inplaceKernels: KernelDef[] = [
  updateInPlace('addInPlace', 't + alpha * o', 'alpha'),
  updateInPlace('scaleInPlace', 't * factor', 'factor'),
  updateInPlace('assignInPlace', 'o', null),
  fillInPlace,
];
