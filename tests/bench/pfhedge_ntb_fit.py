#!/usr/bin/env python3
"""pfhedge's no-transaction band network (its example_no_transaction_band_network.py: an MLP(out 2) whose
leaky-ReLU outputs widen a band around the Black-Scholes delta, the previous hedge clamped into it) on the
README problem (European call, cost 1e-4, 10,000 paths), timed on this machine now, as
shared/reference/pfhedge_fit.py times the MLP: one JSON line {epochs, fit_seconds, seconds_per_epoch, price,
threads}. Usage: pfhedge_ntb_fit.py PFHEDGE_SRC_DIR [EPOCHS]   (the bench runs it beside the lab's DHNTB)"""
import sys, time, json, torch
import torch.nn.functional as fn
sys.dont_write_bytecode = True  # the pfhedge source may sit on a read-only folder
sys.path.insert(0, sys.argv[1])
from pfhedge.instruments import BrownianStock, EuropeanOption
from pfhedge.nn import BlackScholes, Hedger, MultiLayerPerceptron
from pfhedge.nn.functional import clamp

class NoTransactionBandNet(torch.nn.Module):
    def __init__(self, derivative):
        super().__init__()
        self.delta = BlackScholes(derivative)
        self.mlp = MultiLayerPerceptron(out_features=2)

    def inputs(self):
        return self.delta.inputs() + ["prev_hedge"]

    def forward(self, input):
        prev_hedge = input[..., [-1]]
        delta = self.delta(input[..., :-1])
        width = self.mlp(input[..., :-1])
        return clamp(prev_hedge, min=delta - fn.leaky_relu(width[..., [0]]), max=delta + fn.leaky_relu(width[..., [1]]))

epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
torch.manual_seed(42)
d = EuropeanOption(BrownianStock(cost=1e-4))
model = NoTransactionBandNet(d)
h = Hedger(model, model.inputs())
t0 = time.time(); h.fit(d, n_paths=10000, n_epochs=epochs, verbose=False); s = time.time() - t0
torch.manual_seed(7)
print(json.dumps(dict(epochs=epochs, fit_seconds=s, seconds_per_epoch=s / epochs, price=float(h.price(d, n_paths=10000)), threads=torch.get_num_threads())))
