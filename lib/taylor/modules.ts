/**
 * Module graphs shared by the Taylor engines (HOPE's rule in hope.ts, the exact engine in
 * exact_modules.ts): affine maps, elementwise activations, 1-D and 2-D convolution, average and max
 * pooling, and residual blocks, all acting on flat channels-first vectors (so flatten/unflatten are
 * the identity). The 1-D kinds are the 2-D ones with height 1 (a `1 × size` kernel/window). Types
 * and shape helpers only; each engine owns its propagation rules.
 *
 * @module
 */

import type { Conv1dGeometry, Conv2dGeometry } from "../poly/block.ts";
import type { ActivationName } from "../series/activations.ts";

/** An affine module z = b + u·W in the network layout: row-major `(inputs+1) × units`, row 0 = b. */
export interface AffineModule {
  /** Discriminant. */
  readonly kind: "affine";
  /** Size of the input u. */
  readonly inputs: number;
  /** Size of the output z. */
  readonly units: number;
  /** Row-major `(inputs + 1) × units`, row 0 the bias, row i+1 the weights from u_i. */
  readonly weights: Float64Array;
}

/** An elementwise activation z = g(u). */
export interface ElementwiseModule {
  /** Discriminant. */
  readonly kind: "elementwise";
  /** The activation g. */
  readonly activation: ActivationName;
  /** α of leaky_relu / elu when not the default. */
  readonly alpha?: number;
  /** Number of units (input size = output size). */
  readonly units: number;
}

/**
 * A 2-D convolution (valid padding) on a channels-first `channels × height × width` flat vector.
 * `kernel` is `outChannels × inChannels × size × size` row-major.
 */
export interface Conv2dModule extends Conv2dGeometry {
  /** Discriminant. */
  readonly kind: "conv2d";
  /** `outChannels × inChannels × size × size`. */
  readonly kernel: Float64Array;
  /** One bias per output channel. */
  readonly bias: Float64Array;
}

/** Non-overlapping 2-D pooling (window = stride = `size`) on a channels-first flat vector. */
export type Pool2dModule = AvgPool2dModule | MaxPool2dModule;

/** Average pooling (affine, weight 1/size²). */
export interface AvgPool2dModule extends Pool2dShape {
  /** Discriminant. */
  readonly kind: "avgpool2d";
}

/** Max pooling (selects the arg-max at x0). */
export interface MaxPool2dModule extends Pool2dShape {
  /** Discriminant. */
  readonly kind: "maxpool2d";
}

/** Shape of a pooling module. */
export interface Pool2dShape {
  /** Channels. */
  readonly channels: number;
  /** Input height. */
  readonly height: number;
  /** Input width. */
  readonly width: number;
  /** Window side (and stride). */
  readonly size: number;
}

/**
 * A 1-D convolution (valid padding) on a channels-first `channels × length` flat vector: the 2-D
 * convolution with height 1 and a `1 × size` kernel. `kernel` is `outChannels × inChannels × size`
 * row-major.
 */
export interface Conv1dModule extends Conv1dGeometry {
  /** Discriminant. */
  readonly kind: "conv1d";
  /** `outChannels × inChannels × size`. */
  readonly kernel: Float64Array;
  /** One bias per output channel. */
  readonly bias: Float64Array;
}

/** Non-overlapping 1-D pooling (window = stride = `size`, trailing entries dropped). */
export type Pool1dModule = AvgPool1dModule | MaxPool1dModule;

/** 1-D average pooling (affine, weight 1/size). */
export interface AvgPool1dModule extends Pool1dShape {
  /** Discriminant. */
  readonly kind: "avgpool1d";
}

/** 1-D max pooling (selects the arg-max at x0). */
export interface MaxPool1dModule extends Pool1dShape {
  /** Discriminant. */
  readonly kind: "maxpool1d";
}

/** Shape of a 1-D pooling module. */
export interface Pool1dShape {
  /** Channels. */
  readonly channels: number;
  /** Input length. */
  readonly length: number;
  /** Window length (and stride). */
  readonly size: number;
}

/**
 * A residual block z = u + F(u): `body` is a non-empty module list F whose input and output sizes
 * both equal the size of u (checked by {@link checkResidual}). Blocks may nest.
 */
export interface ResidualModule {
  /** Discriminant. */
  readonly kind: "residual";
  /** The branch F added to the skip connection. */
  readonly body: readonly HopeModule[];
}

/** A module of the HOPE graph (one rule per kind in {@link HOPE_RULES}). */
export type HopeModule =
  | AffineModule
  | ElementwiseModule
  | Conv2dModule
  | Pool2dModule
  | Conv1dModule
  | Pool1dModule
  | ResidualModule;

/** Output side of a valid convolution along one axis. */
export function convOutputSide(n: number, size: number, stride: number): number {
  return Math.floor((n - size) / stride) + 1;
}

/** Size of a module's input vector. */
export function moduleInputSize(m: HopeModule): number {
  switch (m.kind) {
    case "affine":
      return m.inputs;
    case "elementwise":
      return m.units;
    case "conv2d":
      return m.inChannels * m.height * m.width;
    case "avgpool2d":
    case "maxpool2d":
      return m.channels * m.height * m.width;
    case "conv1d":
      return m.inChannels * m.length;
    case "avgpool1d":
    case "maxpool1d":
      return m.channels * m.length;
    case "residual":
      return m.body.length > 0 ? moduleInputSize(m.body[0]) : 0;
  }
}

/** Size of a module's output vector. */
export function moduleOutputSize(m: HopeModule): number {
  switch (m.kind) {
    case "affine":
    case "elementwise":
      return m.units;
    case "conv2d":
      return m.outChannels * convOutputSide(m.height, m.size, m.stride) *
        convOutputSide(m.width, m.size, m.stride);
    case "avgpool2d":
    case "maxpool2d":
      return m.channels * Math.floor(m.height / m.size) * Math.floor(m.width / m.size);
    case "conv1d":
      return m.outChannels * convOutputSide(m.length, m.size, m.stride);
    case "avgpool1d":
    case "maxpool1d":
      return m.channels * Math.floor(m.length / m.size);
    case "residual":
      return moduleInputSize(m);
  }
}

/**
 * Checks that a residual block's body is non-empty, chains, and maps n values to n (nested blocks
 * too); throws a RangeError naming `where` (e.g. `modules[2]`) otherwise. Returns n.
 */
export function checkResidual(m: ResidualModule, where: string): number {
  if (!Array.isArray(m.body) || m.body.length === 0) {
    throw new RangeError(`${where}.body: expected a non-empty module list`);
  }
  const n = moduleInputSize(m.body[0]);
  let width = n;
  m.body.forEach((b, i) => {
    if (b.kind === "residual") checkResidual(b, `${where}.body[${i}]`);
    if (moduleInputSize(b) !== width) {
      throw new RangeError(
        `${where}.body[${i}] (${b.kind}): expects ${moduleInputSize(b)} inputs but receives ${width}`,
      );
    }
    width = moduleOutputSize(b);
  });
  if (width !== n) {
    throw new RangeError(`${where}.body: maps ${n} inputs to ${width} outputs; a residual needs equal sizes`);
  }
  return n;
}
