"""The SRN's gradients, proved three independent ways.

1. Central differences of the objective each mode is the gradient of: sum_t E_t, where E_t is
   recomputed from the context frozen at the oldest step its error may reach (for full BPTT
   that is the sequence start, so the objective is simply E).
2. Copy-back is feedforward backprop (``backprop.py``) on the pattern [x_t, c_t].
3. Full BPTT is the gradient of the network unrolled in time: one copy of every weight per
   step, backpropagated slice by slice as a layered feedforward net, the copies' gradients
   summed (the lecture's dE/dW = sum_t dE_t/dW).

And training does what the module docstring says, window by window, with the state carried.
Everything here is written from the docstring of ``srn.py``, not from its code.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from conftest import ACTIVATION_LOSS
from srnlab.activations import get_activation
from srnlab.backprop import Network, backward, forward
from srnlab.backprop import gradients as feedforward_gradients
from srnlab.losses import get_loss
from srnlab.params import FeedforwardParams
from srnlab.srn import (
    SRN,
    SRNParams,
    SRNSchedule,
    forward_sequence,
    init_srn,
    sequence_gradients,
    train_srn,
)

EPS = 1e-6  # central-difference step; the truncation error is O(EPS^2)


# ---- an independent SRN, written from the equations ----------------------------------------


def step_forward(
    net: SRN, p: SRNParams, x: np.ndarray, c: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    h = get_activation(net.hidden_activation).function(p.W_xh @ x + p.W_ch @ c + p.b_h)
    return h, get_activation(net.output_activation).function(p.W_hy @ h + p.b_y)


def error_from(
    net: SRN, p: SRNParams, X: np.ndarray, Y: np.ndarray, c: np.ndarray, steps: range
) -> float:
    """E_t of the last step in ``steps``, running the steps from context ``c``."""
    for tau in steps:
        h, yhat = step_forward(net, p, X[tau], c)
        c = h
    return get_loss(net.loss).value(Y[steps[-1]], yhat)


def windows(
    n_steps: int, resets: list[int], update_every: int | None
) -> list[tuple[int, int, int]]:
    """(sequence start, window start, window end inclusive), as the docstring defines them."""
    bounds = sorted({0, *resets, n_steps})
    out = []
    for seq_first, seq_end in itertools.pairwise(bounds):
        size = update_every or seq_end - seq_first
        for first in range(seq_first, seq_end, size):
            out.append((seq_first, first, min(first + size, seq_end) - 1))
    return out


def limit(t: int, seq_first: int, window_first: int, through_time: object) -> int:
    if through_time is None:
        return seq_first
    if through_time == "window":
        return window_first
    assert isinstance(through_time, int)
    return max(seq_first, t - through_time + 1)


def perturbed(p: SRNParams, name: str, index: tuple[int, ...], delta: float) -> SRNParams:
    q = p.copy()
    getattr(q, name)[index] += delta
    return q


def central_differences(objective, p: SRNParams) -> SRNParams:  # type: ignore[no-untyped-def]
    grads = p.zeros_like()
    for name in SRNParams.NAMES:
        for index in np.ndindex(getattr(p, name).shape):
            up = objective(perturbed(p, name, index, EPS))
            down = objective(perturbed(p, name, index, -EPS))
            getattr(grads, name)[index] = (up - down) / (2 * EPS)
    return grads


def truncated_objective(net, p0, X, Y, context0, resets, through_time, update_every):  # type: ignore[no-untyped-def]
    """F(theta) = sum_t E_t(theta), each from the context c_{L(t)} frozen at its value under
    the unperturbed weights p0 (the context is a constant input there)."""
    frozen = forward_sequence(net, p0, X, context0, resets).contexts

    def objective(p: SRNParams) -> float:
        total = 0.0
        for seq_first, first, last in windows(len(X), resets, update_every):
            for t in range(first, last + 1):
                oldest = limit(t, seq_first, first, through_time)
                total += error_from(net, p, X, Y, frozen[oldest], range(oldest, t + 1))
        return total

    return objective


def assert_grads_close(actual: SRNParams, expected: SRNParams, tol: float) -> None:
    for name in SRNParams.NAMES:
        a, e = getattr(actual, name), getattr(expected, name)
        np.testing.assert_allclose(a, e, rtol=tol, atol=tol, err_msg=name)


def small_problem(
    seed: int, n_steps: int = 8, sizes: tuple[int, int, int] = (3, 4, 2), targets01: bool = True
):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    n_in, n_hidden, n_out = sizes
    p = init_srn(n_in, n_hidden, n_out, rng, 1.0)
    X = rng.uniform(-1, 1, (n_steps, n_in))
    Y = (
        rng.uniform(0.05, 0.95, (n_steps, n_out))
        if targets01
        else rng.uniform(-1, 1, (n_steps, n_out))
    )
    return p, X, Y, rng.uniform(0, 1, n_hidden)


# ---- 1. central differences, every mode ----------------------------------------------------

MODES = [
    (1, 1),  # copy-back, online
    (1, 3),  # copy-back, updates every 3 steps
    (2, 1),  # online BPTT(2)
    (3, 1),
    (3, 2),  # BPTT(3), updates every 2 steps: errors reach into the previous window
    (5, 3),
    (20, None),  # k longer than any sequence: nothing is truncated
    (None, None),  # full BPTT, one update per sequence
    (None, 3),  # full BPTT back to the sequence start, updates every 3 steps
    ("window", 3),  # windowed TBPTT
    ("window", None),
]


@pytest.mark.parametrize(("through_time", "update_every"), MODES)
@pytest.mark.parametrize("resets", [[], [3], [0, 5, 6]])
def test_every_mode_matches_central_differences(through_time, update_every, resets) -> None:  # type: ignore[no-untyped-def]
    net = SRN(3, 4, 2)
    p, X, Y, context0 = small_problem(seed=len(resets) + 7)
    grads = sequence_gradients(
        net,
        p,
        X,
        Y,
        through_time=through_time,
        update_every=update_every,
        context0=context0,
        resets=resets,
    )
    objective = truncated_objective(net, p, X, Y, context0, resets, through_time, update_every)
    assert_grads_close(grads, central_differences(objective, p), 1e-7)


@pytest.mark.parametrize(("hidden", "output", "loss"), ACTIVATION_LOSS)
@pytest.mark.parametrize(("through_time", "update_every"), [(None, None), (2, 1), ("window", 4)])
def test_every_activation_and_loss(hidden, output, loss, through_time, update_every) -> None:  # type: ignore[no-untyped-def]
    net = SRN(3, 4, 2, hidden, output, loss, context_start=0.3)
    p, X, Y, _ = small_problem(seed=11, targets01=output == "logistic")
    p = SRNParams(*(0.5 * a for a in p.arrays()))  # keep linear nets tame
    grads = sequence_gradients(
        net, p, X, Y, through_time=through_time, update_every=update_every, resets=[5]
    )
    objective = truncated_objective(net, p, X, Y, None, [5], through_time, update_every)
    assert_grads_close(grads, central_differences(objective, p), 1e-7)


# ---- 2. copy-back is feedforward backprop with the context as an input ---------------------


def as_feedforward(p: SRNParams) -> FeedforwardParams:
    """The SRN at one step as a 2-layer net on the pattern [x_t, c_t]."""
    return FeedforwardParams((np.hstack([p.W_xh, p.W_ch]), p.W_hy), (p.b_h, p.b_y))


@pytest.mark.parametrize(("hidden", "output", "loss"), ACTIVATION_LOSS[:4])
def test_copy_back_is_backprop_on_input_and_context(hidden, output, loss) -> None:  # type: ignore[no-untyped-def]
    net = SRN(3, 4, 2, hidden, output, loss)
    p, X, Y, context0 = small_problem(seed=3)
    contexts = forward_sequence(net, p, X, context0, [4]).contexts
    ff = feedforward_gradients(
        Network((3 + 4, 4, 2), hidden, output, loss), as_feedforward(p), np.hstack([X, contexts]), Y
    )
    srn = sequence_gradients(
        net, p, X, Y, through_time=1, update_every=1, context0=context0, resets=[4]
    )
    np.testing.assert_allclose(srn.W_xh, ff.weights[0][:, :3], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(srn.W_ch, ff.weights[0][:, 3:], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(srn.W_hy, ff.weights[1], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(srn.b_h, ff.biases[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(srn.b_y, ff.biases[1], rtol=1e-12, atol=1e-15)


def test_copy_back_equals_bptt_truncated_at_one_step() -> None:
    """through_time=1 is BPTT(k) at k = 1: the k-step code path at k = 1 equals the
    feedforward result above, and a window of one step gives the same gradient."""
    net = SRN(3, 4, 2)
    p, X, Y, _ = small_problem(seed=5)
    copy_back = sequence_gradients(net, p, X, Y, through_time=1, update_every=None)
    window_of_one = sequence_gradients(net, p, X, Y, through_time="window", update_every=1)
    assert_grads_close(copy_back, window_of_one, 1e-14)
    deeper = sequence_gradients(net, p, X, Y, through_time=2, update_every=None)
    assert not np.allclose(deeper.W_ch, copy_back.W_ch)  # k = 2 does reach further back


def test_online_copy_back_training_is_feedforward_sgd_step_by_step() -> None:
    """Elman's protocol, built from the feedforward reference: at every step, backprop on
    [x_t, c_t], update with momentum, copy h_t into the context."""
    net = SRN(3, 4, 2)
    p, X, Y, _ = small_problem(seed=8, n_steps=12)
    lr, momentum = 0.4, 0.6
    ff_net = Network((7, 4, 2))
    ff = as_feedforward(p.copy())
    velocity = [np.zeros_like(a) for a in ff.arrays()]
    c = np.full(4, 0.5)
    for _ in range(2):  # two passes: the context carries over the wrap-around
        for t in range(len(X)):
            pattern = np.concatenate([X[t], c])
            grads = backward(ff_net, ff, forward(ff_net, ff, pattern), Y[t]).grads
            h = forward(ff_net, ff, pattern).activations[1][0]
            for w, g, v in zip(ff.arrays(), grads.arrays(), velocity, strict=True):
                v *= momentum
                v -= lr * g
                w += v
            c = h
    schedule = SRNSchedule(learning_rate=lr, momentum=momentum)
    trained, history = train_srn(net, p, X, Y, schedule, passes=2, backend="reference")
    np.testing.assert_allclose(trained.W_xh, ff.weights[0][:, :3], rtol=1e-12)
    np.testing.assert_allclose(trained.W_ch, ff.weights[0][:, 3:], rtol=1e-12)
    np.testing.assert_allclose(trained.W_hy, ff.weights[1], rtol=1e-12)
    np.testing.assert_allclose(history.final_context, c, rtol=1e-12)


# ---- 3. full BPTT is the gradient of the network unrolled in time --------------------------


def unrolled_gradient(
    net: SRN, p: SRNParams, X: np.ndarray, Y: np.ndarray, context0: np.ndarray
) -> SRNParams:
    """Unroll the SRN into a feedforward net with one copy of each weight per time slice;
    backpropagate layer by layer from the last slice down; sum the copies' gradients."""
    n_steps = len(X)
    copies = [p.copy() for _ in range(n_steps)]  # untied weights, one set per slice
    f_h = get_activation(net.hidden_activation)
    contexts, hidden = [context0], []
    for t in range(n_steps):  # forward through the slices
        h, _ = step_forward(net, copies[t], X[t], contexts[-1])
        hidden.append(h)
        contexts.append(h)
    output_layer = Network(
        (net.n_hidden, net.n_out), net.output_activation, net.output_activation, net.loss
    )
    grads_per_slice = []
    from_above = np.zeros(net.n_hidden)  # dE/dh_t sent down from slice t + 1
    for t in reversed(range(n_steps)):
        # the slice's output layer, by the feedforward reference
        out_params = FeedforwardParams((copies[t].W_hy,), (copies[t].b_y,))
        out_back = backward(
            output_layer, out_params, forward(output_layer, out_params, hidden[t]), Y[t]
        )
        dE_dh = out_back.deltas[0][0] @ copies[t].W_hy + from_above
        delta_h = dE_dh * f_h.derivative(hidden[t])
        grads_per_slice.append(
            SRNParams(
                np.outer(delta_h, X[t]),
                np.outer(delta_h, contexts[t]),
                out_back.grads.weights[0],
                delta_h,
                out_back.grads.biases[0],
            )
        )
        from_above = delta_h @ copies[t].W_ch  # into slice t - 1 through its hidden units
    return SRNParams(
        *(sum(arrays) for arrays in zip(*(g.arrays() for g in grads_per_slice), strict=True))
    )


@pytest.mark.parametrize(("hidden", "output", "loss"), ACTIVATION_LOSS[:5])
def test_full_bptt_is_the_unrolled_network_gradient(hidden, output, loss) -> None:  # type: ignore[no-untyped-def]
    net = SRN(3, 4, 2, hidden, output, loss)
    p, X, Y, context0 = small_problem(seed=13, n_steps=7)
    bptt = sequence_gradients(net, p, X, Y, through_time=None, update_every=None, context0=context0)
    assert_grads_close(bptt, unrolled_gradient(net, p, X, Y, context0), 1e-12)


# ---- resets and the context's start value --------------------------------------------------


def test_reset_sets_context_to_start_value_and_stops_the_gradient() -> None:
    net = SRN(3, 4, 2, context_start=0.2)
    p, X, Y, context0 = small_problem(seed=17, n_steps=9)
    trace = forward_sequence(net, p, X, context0, resets=[4])
    np.testing.assert_array_equal(trace.contexts[0], context0)
    np.testing.assert_array_equal(trace.contexts[4], np.full(4, 0.2))
    np.testing.assert_array_equal(trace.contexts[5], trace.hidden[4])
    whole = sequence_gradients(net, p, X, Y, through_time=None, context0=context0, resets=[4])
    first = sequence_gradients(net, p, X[:4], Y[:4], through_time=None, context0=context0)
    second = sequence_gradients(net, p, X[4:], Y[4:], through_time=None)  # starts at 0.2
    for w, a, b in zip(whole.arrays(), first.arrays(), second.arrays(), strict=True):
        np.testing.assert_allclose(w, a + b, rtol=1e-12, atol=1e-15)


def test_context_start_value_is_used() -> None:
    p, X, Y, _ = small_problem(seed=19)
    traces = {s: forward_sequence(SRN(3, 4, 2, context_start=s), p, X) for s in (0.5, 0.1)}
    np.testing.assert_array_equal(traces[0.5].contexts[0], np.full(4, 0.5))
    np.testing.assert_array_equal(traces[0.1].contexts[0], np.full(4, 0.1))
    assert not np.allclose(traces[0.5].outputs[0], traces[0.1].outputs[0])
    net = SRN(3, 4, 2, context_start=0.1)
    grads = sequence_gradients(net, p, X, Y, through_time=None, resets=[3])
    objective = truncated_objective(net, p, X, Y, np.full(4, 0.1), [3], None, None)
    assert_grads_close(grads, central_differences(objective, p), 1e-7)


# ---- training: the state carried across windows and passes, as documented ------------------


def documented_training(net, p, X, Y, resets, schedule, passes):  # type: ignore[no-untyped-def]
    """Training written from the docstring, with every update's gradient taken by central
    differences: forward step by step with the weights of the moment, store x, c and h; after
    each window, g = d/dtheta of sum over the window's steps t of E_t, run from the stored
    context c_{L(t)}; delta_w = -lr g + momentum delta_w; the context carries on.

    Steps of the current window were computed with the weights of the update, so E_t simply
    recomputes them. A step tau of an *earlier* window is, as the docstring says, the stored
    step: its activation h_tau and slope f'(net_h_tau) as computed then, seen through the
    current weights. As a function of the weights q that is the stored step linearised at the
    update's weights p:
        h_tau(q) = h_tau + f'_tau * [(q - p)_xh x_tau + (q - p)_ch c_tau + (q - p)_bh
                                     + p.W_ch (c_tau(q) - c_tau)]
    whose derivative at q = p is exactly "stored activations, current weights"."""
    p = p.copy()
    velocity = p.zeros_like()
    c = net.start_context()
    f_h = get_activation(net.hidden_activation)
    for _ in range(passes):
        stored_c: dict[int, np.ndarray] = {}
        stored_h: dict[int, np.ndarray] = {}
        ends = {
            last: (seq_first, first)
            for seq_first, first, last in windows(len(X), resets, schedule.update_every)
        }
        for t in range(len(X)):
            if t in resets:
                c = net.start_context()
            stored_c[t] = c
            c, _ = step_forward(net, p, X[t], c)  # the next context is this step's h
            stored_h[t] = c
            if t not in ends:
                continue
            seq_first, first = ends[t]
            at_update = p.copy()

            def error_of(
                q: SRNParams,
                u: int,
                oldest: int,
                first: int = first,
                at_update: SRNParams = at_update,
                stored_c: dict = stored_c,
                stored_h: dict = stored_h,
            ) -> float:
                ctx = stored_c[oldest]
                for tau in range(oldest, u + 1):
                    if tau >= first:
                        h, yhat = step_forward(net, q, X[tau], ctx)
                    else:  # a stored step of an earlier window, linearised at the update
                        d = q.W_xh @ X[tau] - at_update.W_xh @ X[tau]
                        d += (q.W_ch - at_update.W_ch) @ stored_c[tau] + (q.b_h - at_update.b_h)
                        d += at_update.W_ch @ (ctx - stored_c[tau])
                        h = stored_h[tau] + f_h.derivative(stored_h[tau]) * d
                    ctx = h
                return get_loss(net.loss).value(Y[u], yhat)

            def objective(
                q: SRNParams, first: int = first, last: int = t, seq_first: int = seq_first
            ) -> float:
                return sum(
                    error_of(q, u, limit(u, seq_first, first, schedule.through_time))
                    for u in range(first, last + 1)
                )

            g = central_differences(objective, p)
            for w, v, gw in zip(p.arrays(), velocity.arrays(), g.arrays(), strict=True):
                v *= schedule.momentum
                v -= schedule.learning_rate * gw
                w += v
    return p, c


@pytest.mark.parametrize(
    ("through_time", "update_every", "resets"),
    [(1, 1, []), (2, 1, [5]), (3, 2, []), ("window", 3, [4]), (None, 2, [0, 6]), (None, None, [])],
)
def test_training_follows_the_documented_semantics(through_time, update_every, resets) -> None:  # type: ignore[no-untyped-def]
    net = SRN(2, 3, 2)
    p, X, Y, _ = small_problem(seed=23, n_steps=9, sizes=(2, 3, 2))
    schedule = SRNSchedule(
        learning_rate=0.5, momentum=0.5, through_time=through_time, update_every=update_every
    )
    expected, context = documented_training(net, p, X, Y, resets, schedule, passes=2)
    for backend in ("reference", "fast"):
        trained, history = train_srn(
            net, p, X, Y, schedule, passes=2, resets=resets, backend=backend
        )
        assert_grads_close(trained, expected, 1e-7)
        np.testing.assert_allclose(history.final_context, context, rtol=1e-7)
