"""Optional anchor for `deno task bench --anchors` (polylab itself never needs Python).

Nested PyTorch autograd Taylor coefficients of a 1-input network in the fixtures' layout
(weights rows = inputs + 1, bias first), float64, at the file's x0, up to --order K:
d^k f / dx^k / k! for k = 0..K. Prints {"seconds": S, "torch": VERSION, "coefficients": [...]},
S being the differentiation time only (network built and file read before the clock starts).
"""
import argparse
import json
import math
import sys
import time

import torch

ACTIVATIONS = {
    "linear": lambda v: v,
    "sin": torch.sin,
    "cos": torch.cos,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softplus": torch.nn.functional.softplus,
    "exp": torch.exp,
    "relu": torch.relu,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--order", type=int, required=True)
    args = parser.parse_args()
    with open(args.file, encoding="utf-8") as f:
        net = json.load(f)
    if net["inputs"] != 1:
        sys.exit("torch_taylor: only 1-input networks (the HOPE paper's MLP)")
    layers = []
    for layer in net["layers"]:
        w = torch.tensor(layer["weights"], dtype=torch.float64)
        if layer["activation"] not in ACTIVATIONS:
            sys.exit(f"torch_taylor: activation {layer['activation']} not supported")
        layers.append((w[0], w[1:], ACTIVATIONS[layer["activation"]]))
    x0 = float((net.get("x0") or [0.0])[0])
    torch.set_num_threads(1)

    t0 = time.perf_counter()
    x = torch.tensor([[x0]], dtype=torch.float64, requires_grad=True)
    h = x
    for bias, weight, act in layers:
        h = act(bias + h @ weight)
    g = h[0, 0]
    coefficients = [g.item()]
    for k in range(1, args.order + 1):
        (g,) = torch.autograd.grad(g, x, create_graph=True)
        g = g[0, 0]
        coefficients.append(g.item() / math.factorial(k))
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "torch": torch.__version__, "coefficients": coefficients}))


if __name__ == "__main__":
    main()
