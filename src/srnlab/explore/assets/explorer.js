/* srnlab explorer: backprop and an SRN, computed in the browser, every number shown.
 *
 * The arithmetic follows srnlab's Python reference operation by operation, in float64, so
 * the numbers agree with `srnlab worksheet` (srnlab/explain.py) and with the SRN reference
 * (srnlab/srn.py) to the last bit or two (Math.exp and Math.tanh may differ from the C
 * library by an ulp):
 *   - explainPattern / weightUpdate        <->  explain.explain_pattern / explain._update
 *   - srnForward / srnGradients            <->  srn_reference.forward_sequence / _window_gradient
 * The page exposes window.srnlabExplorer (state(), step(phase), ...) so tests can drive it.
 */
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("srnlab-data").textContent);
  const PHASES = ["forward", "error", "backward", "update"];
  const SVG_NS = "http://www.w3.org/2000/svg";
  const DIGITS = 4;

  // ---- the maths: unit functions and losses (srnlab/explain.py, activations.py, losses.py) --

  function logistic(x) {
    // exp(709) is the largest power of e in float64; beyond it sigma is 0 or 1 anyway.
    return 1.0 / (1.0 + Math.exp(-Math.min(Math.max(x, -709.0), 709.0)));
  }

  // name -> [a = f(x), da/dx written from the output a]
  const UNIT_FUNCTIONS = {
    logistic: [logistic, (a) => a * (1.0 - a)],
    tanh: [Math.tanh, (a) => 1.0 - a * a],
  };

  // The x at which a unit's output is 0.5, the XOR nets' decision threshold.
  const HALF_POINT = { logistic: 0.0, tanh: Math.atanh(0.5) };

  function unitError(loss, y, a) {
    const d = y - a;
    return loss === "squared" ? d * d : 0.5 * (d * d);
  }

  function errorByActivation(loss, y, a) {
    return loss === "squared" ? -2.0 * (y - a) : -(y - a);
  }

  const LOSS_TEXT = {
    squared: { E: "E = (y − a)²", dEda: (k) => `∂E/∂a${k} = −2(y${k} − a${k})` },
    half_squared: { E: "E = ½ Σ (y − a)²", dEda: (k) => `∂E/∂a${k} = −(y${k} − a${k})` },
  };
  const SLOPE_TEXT = {
    logistic: (k) => `∂a${k}/∂x${k} = σ'(x${k}) = a${k}(1 − a${k})`,
    tanh: (k) => `∂a${k}/∂x${k} = 1 − a${k}²`,
  };

  // ---- the feedforward net: wiring in the lecture's numbering ------------------------------

  const FF = DATA.feedforward;
  const wiring = (function () {
    const incoming = new Map();
    const outgoing = new Map();
    for (const c of FF.connections) {
      if (!incoming.has(c.target)) incoming.set(c.target, []);
      incoming.get(c.target).push(c);
      if (!c.is_bias) {
        if (!outgoing.has(c.source)) outgoing.set(c.source, []);
        outgoing.get(c.source).push(c);
      }
    }
    const layerOf = new Map();
    FF.units.forEach((units, layer) => units.forEach((u) => layerOf.set(u, layer)));
    return { incoming, outgoing, layerOf, names: FF.connections.map((c) => c.name) };
  })();
  const nLayers = FF.sizes.length - 1; // layers above the inputs

  function activationOf(settings, layer) {
    return layer === nLayers ? settings.output_activation : settings.hidden_activation;
  }

  /* Forward, error, backward and chain rule for one pattern (explain.explain_pattern). */
  function explainPattern(settings, weights, inputs, targets, pattern) {
    const activation = new Map();
    const units = [];
    FF.units[0].forEach((unit, j) => {
      activation.set(unit, inputs[j]);
      units.push({ unit, layer: 0, x: null, a: inputs[j] });
    });
    for (let layer = 1; layer <= nLayers; layer++) {
      const f = UNIT_FUNCTIONS[activationOf(settings, layer)][0];
      for (const target of FF.units[layer]) {
        let x = 0.0; // x_i = w0,i + sum_j w_j,i a_j, the bias first
        for (const c of wiring.incoming.get(target)) {
          x += weights[c.name] * (c.is_bias ? 1.0 : activation.get(c.source));
        }
        const a = f(x);
        activation.set(target, a);
        units.push({ unit: target, layer, x, a });
      }
    }
    const outputs = FF.units[nLayers];
    let error = 0;
    outputs.forEach((k, o) => {
      error += unitError(settings.loss, targets[o], activation.get(k));
    });

    // Backward: dE/da, da/dx and dE/dx for every unit above the inputs, the output layer first.
    const dEdx = new Map();
    const credits = [];
    for (let layer = nLayers; layer >= 1; layer--) {
      const slopeOf = UNIT_FUNCTIONS[activationOf(settings, layer)][1];
      for (const unit of FF.units[layer]) {
        const a = activation.get(unit);
        const slope = slopeOf(a); // da_i/dx_i = f'(x_i), from the output a_i
        let dEda;
        let terms = [];
        if (layer === nLayers) {
          dEda = errorByActivation(settings.loss, targets[outputs.indexOf(unit)], a);
        } else {
          // dE/da_i = sum_k dE/dx_k * w_i,k
          terms = wiring.outgoing.get(unit).map((c) => ({
            weight: c.name,
            source: c.target,
            dE_dx: dEdx.get(c.target),
            value: weights[c.name],
            product: dEdx.get(c.target) * weights[c.name],
          }));
          dEda = 0.0;
          for (const t of terms) dEda += t.product;
        }
        const delta = dEda * slope; // dE/dx_i = dE/da_i * da_i/dx_i
        dEdx.set(unit, delta);
        credits.push({ unit, layer, dE_da: dEda, slope, dE_dx: delta, terms });
      }
    }
    const creditOf = new Map(credits.map((c) => [c.unit, c]));
    const chain = FF.connections.map((c) => {
      const credit = creditOf.get(c.target);
      const dxdw = c.is_bias ? 1.0 : activation.get(c.source); // the bias unit is always on
      return {
        name: c.name,
        source: c.source,
        target: c.target,
        layer: c.layer,
        dE_da: credit.dE_da,
        slope: credit.slope,
        dE_dx: credit.dE_dx,
        dx_dw: dxdw,
        product: credit.dE_dx * dxdw, // = dE/da_i * f'(x_i) * dx_i/dw
      };
    });
    return { pattern, inputs: inputs.slice(), targets: targets.slice(), units, error, credits, weights: chain };
  }

  /* delta_w = -lr * dE/dw + momentum * previous delta_w, dE/dw summed over the update's
     patterns (explain._update). */
  function weightUpdate(weights, previous, records, learningRate, momentum) {
    return wiring.names.map((name, index) => {
      let gradient = 0.0;
      for (const r of records) gradient += r.weights[index].product;
      const change = -learningRate * gradient + momentum * previous[name];
      const old = weights[name];
      return { name, old, gradient, previous_change: previous[name], change, new: old + change };
    });
  }

  // ---- the feedforward demo's state ----------------------------------------------------------

  const initialWeights = Object.fromEntries(FF.weights);
  const ff = {
    settings: {
      learning_rate: FF.learning_rate,
      momentum: FF.momentum,
      update: FF.update,
      loss: FF.loss,
      hidden_activation: FF.hidden_activation,
      output_activation: FF.output_activation,
    },
    inputs: FF.inputs.map((r) => r.slice()),
    targets: FF.targets.map((r) => r.slice()),
    weights: { ...initialWeights },
    previous: zerosLike(initialWeights),
    epoch: 1,
    position: 0, // index of the current pattern in the epoch (online)
    phase: 0, // how many of PHASES are done for the current update
    records: [],
    changes: null,
    shown: 0, // the pattern drawn on the network
    log: [], // the worked example since the last edit: what "export worksheet" writes
    logStart: 0, // the position at which the log's first epoch starts
    curve: [],
    selected: null,
    running: false,
  };
  const nPatterns = () => ff.inputs.length;

  function zerosLike(weights) {
    return Object.fromEntries(Object.keys(weights).map((k) => [k, 0.0]));
  }

  function currentGroup() {
    if (ff.settings.update === "batch") return ff.inputs.map((_, p) => p);
    return [ff.position];
  }

  function runPhase() {
    const name = PHASES[ff.phase];
    if (name === "forward") {
      ff.records = currentGroup().map((p) =>
        explainPattern(ff.settings, ff.weights, ff.inputs[p], ff.targets[p], p));
      if (ff.settings.update === "online") ff.shown = ff.position;
    } else if (name === "update") {
      const s = ff.settings;
      ff.changes = weightUpdate(ff.weights, ff.previous, ff.records, s.learning_rate, s.momentum);
      ff.weights = Object.fromEntries(ff.changes.map((c) => [c.name, c.new]));
      ff.previous = Object.fromEntries(ff.changes.map((c) => [c.name, c.change]));
      ff.log.push({ records: ff.records, changes: ff.changes });
      const endsEpoch = s.update === "batch" || ff.position === nPatterns() - 1;
      if (endsEpoch) ff.curve.push([ff.epoch, totalError(ff.weights)]);
    }
    ff.phase += 1;
  }

  /* On to the next update: the next pattern (online) or the next epoch (batch). */
  function advance() {
    if (ff.settings.update === "batch") {
      ff.epoch += 1;
    } else {
      ff.position += 1;
      if (ff.position === nPatterns()) {
        ff.position = 0;
        ff.epoch += 1;
      }
    }
    ff.phase = 0;
    ff.records = [];
    ff.changes = null;
  }

  /* Run the phases of the current update up to and including `phase`; once an update is
     complete, the next call moves on to the next update. */
  function step(phase) {
    const target = PHASES.indexOf(phase);
    if (target < 0) throw new Error(`unknown phase ${phase}; valid: ${PHASES.join(", ")}`);
    if (ff.phase === PHASES.length) advance();
    while (ff.phase <= target) runPhase();
  }

  function completeUpdate() {
    if (ff.phase === PHASES.length) advance();
    while (ff.phase < PHASES.length) runPhase();
  }

  function nextPattern() {
    if (ff.settings.update === "batch") {
      ff.shown = (ff.shown + 1) % nPatterns();
      return;
    }
    completeUpdate();
    step("forward");
  }

  /* Whether the current update is the last of its epoch, and done. */
  function epochComplete() {
    return ff.phase === PHASES.length &&
      (ff.settings.update === "batch" || ff.position === nPatterns() - 1);
  }

  /* Finish this epoch's updates, then start the next epoch (its first forward pass). */
  function nextEpoch() {
    while (!epochComplete()) completeUpdate();
    step("forward");
  }

  function totalError(weights) {
    let total = 0.0;
    ff.inputs.forEach((x, p) => {
      total += explainPattern(ff.settings, weights, x, ff.targets[p], p).error;
    });
    return total;
  }

  /* Any edit starts a new worked example from the current pattern, with the edited values as
     its initial weights and no previous weight change; the phases shown are recomputed. */
  function restartFromHere() {
    if (ff.phase === PHASES.length) advance();
    const shownPhase = Math.max(ff.phase, 1);
    ff.previous = zerosLike(ff.weights);
    ff.log = [];
    ff.logStart = ff.settings.update === "online" ? ff.position : 0;
    ff.curve = [[ff.epoch - 1, totalError(ff.weights)]];
    ff.phase = 0;
    while (ff.phase < Math.min(shownPhase, PHASES.length - 1)) runPhase();
  }

  function startAgain() {
    ff.weights = { ...initialWeights };
    ff.inputs = FF.inputs.map((r) => r.slice());
    ff.targets = FF.targets.map((r) => r.slice());
    ff.epoch = 1;
    ff.position = 0;
    ff.shown = 0;
    ff.phase = 0;
    ff.records = [];
    ff.changes = null;
    ff.previous = zerosLike(ff.weights);
    ff.log = [];
    ff.logStart = 0;
    ff.curve = [[0, totalError(ff.weights)]];
  }

  function selectPattern(p) {
    if (ff.settings.update === "batch") {
      ff.shown = p;
      return;
    }
    if (ff.phase === PHASES.length) advance();
    ff.position = p;
    ff.shown = p;
    restartFromHere();
  }

  function ffState() {
    const visible = ff.records.map((r) => ({
      pattern: r.pattern,
      inputs: r.inputs,
      targets: r.targets,
      units: r.units,
      error: ff.phase >= 2 ? r.error : null,
      credits: ff.phase >= 3 ? r.credits : null,
      weights: ff.phase >= 3 ? r.weights : null,
    }));
    return {
      sizes: FF.sizes.slice(),
      ...ff.settings,
      inputs: ff.inputs,
      targets: ff.targets,
      epoch: ff.epoch,
      pattern: ff.settings.update === "online" ? ff.position : null,
      shown_pattern: ff.shown,
      phase: ff.phase === 0 ? "start" : PHASES[ff.phase - 1],
      updates_done: ff.log.length,
      weights: { ...ff.weights },
      previous_changes: ff.phase === PHASES.length
        ? Object.fromEntries(ff.changes.map((c) => [c.name, c.previous_change]))
        : { ...ff.previous },
      records: visible,
      changes: ff.changes,
      curve: ff.curve.map(([epoch, error]) => ({ epoch, error })),
    };
  }

  // ---- export: the worksheet's tidy CSV (srnlab/worksheet_render/tidy.py) ------------------

  /* A float as Python's repr() writes it, so the CSV reads exactly like the worksheet's. */
  function pyRepr(v) {
    if (Number.isNaN(v)) return "nan";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
    const [mantissa, expText] = v.toExponential().split("e"); // shortest round-trip digits
    const exp = parseInt(expText, 10);
    const sign = v < 0 ? "-" : "";
    const digits = mantissa.replace("-", "").replace(".", "");
    if (exp < -4 || exp >= 16) {
      const rest = digits.length > 1 ? "." + digits.slice(1) : "";
      const e = String(Math.abs(exp)).padStart(2, "0");
      return `${sign}${digits[0]}${rest}e${exp < 0 ? "-" : "+"}${e}`;
    }
    if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
    const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
    const fraction = digits.slice(exp + 1) || "0";
    return `${sign}${whole}.${fraction}`;
  }

  function csvField(text) {
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }

  function worksheetCsv() {
    const rows = [["step", "epoch", "pattern", "kind", "item", "factor", "value"]];
    rows.push(["", "", "", "setting", "learning_rate", "", pyRepr(ff.settings.learning_rate)]);
    rows.push(["", "", "", "setting", "momentum", "", pyRepr(ff.settings.momentum)]);
    const perEpoch = ff.settings.update === "online" ? nPatterns() : 1;
    ff.log.forEach((update, index) => {
      const stepText = String(index + 1);
      const epochText = String(Math.floor(index / perEpoch) + 1);
      for (const r of update.records) {
        const where = [stepText, epochText, String(r.pattern + 1)];
        const row = (kind, item, factor, value) =>
          rows.push([...where, kind, String(item), factor, pyRepr(value)]);
        let o = 0;
        for (const u of r.units) {
          if (u.x !== null) row("unit", u.unit, "x", u.x);
          row("unit", u.unit, "a", u.a);
          if (u.layer === nLayers) row("unit", u.unit, "y", r.targets[o++]);
        }
        row("error", "E", "E", r.error);
        for (const c of r.credits) {
          row("unit", c.unit, "dE/da", c.dE_da);
          row("unit", c.unit, "da/dx", c.slope);
          row("unit", c.unit, "dE/dx", c.dE_dx);
          for (const t of c.terms) row("credit", t.weight, "dE/dx*w", t.product);
        }
        for (const w of r.weights) {
          row("weight", w.name, "dE/da", w.dE_da);
          row("weight", w.name, "da/dx", w.slope);
          row("weight", w.name, "dx/dw", w.dx_dw);
          row("weight", w.name, "dE/dw", w.product);
        }
      }
      const pattern = update.records.length === 1 ? String(update.records[0].pattern + 1) : "";
      for (const c of update.changes) {
        for (const [factor, value] of [["old", c.old], ["dE/dw", c.gradient],
          ["previous_change", c.previous_change], ["change", c.change], ["new", c.new]]) {
          rows.push([stepText, epochText, pattern, "update", c.name, factor, pyRepr(value)]);
        }
      }
    });
    return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
  }

  // ---- the SRN: srnlab/srn.py with one update window over the steps seen so far ------------

  const srn = {
    examples: DATA.srn.examples,
    index: 0,
    throughTime: DATA.srn.through_time, // "1", "k" or "all"
    k: DATA.srn.k,
    t: -1, // the last step computed
    params: null,
    learningRate: 0,
    applied: 0, // updates applied since the page started
  };

  function copyParams(p) {
    return {
      W_xh: p.W_xh.map((r) => r.slice()),
      W_ch: p.W_ch.map((r) => r.slice()),
      W_hy: p.W_hy.map((r) => r.slice()),
      b_h: p.b_h.slice(),
      b_y: p.b_y.slice(),
    };
  }

  function srnSelect(index) {
    srn.index = index;
    const ex = srn.examples[index];
    srn.params = copyParams(ex.params);
    srn.learningRate = ex.learning_rate;
    srn.t = -1;
    srn.applied = 0;
  }

  function dot(row, v) {
    let s = 0.0;
    for (let j = 0; j < row.length; j++) s += row[j] * v[j];
    return s;
  }

  /* The forward pass over steps 0..last (srn.forward_sequence): c_0 = s, c_{t+1} = h_t. */
  function srnForward(ex, p, last) {
    const [fh] = UNIT_FUNCTIONS[ex.hidden_activation];
    const [fy, slopeY] = UNIT_FUNCTIONS[ex.output_activation];
    let c = p.b_h.map(() => ex.context_start);
    const steps = [];
    for (let t = 0; t <= last; t++) {
      const x = ex.inputs[t];
      const y = ex.targets[t];
      const netH = p.W_xh.map((row, i) => dot(row, x) + dot(p.W_ch[i], c) + p.b_h[i]);
      const h = netH.map(fh);
      const netY = p.W_hy.map((row, o) => dot(row, h) + p.b_y[o]);
      const yhat = netY.map(fy);
      // delta_y = dE_t/dyhat * f_y'(net_y)
      const deltaY = yhat.map((a, o) => errorByActivation(ex.loss, y[o], a) * slopeY(a));
      let E = 0.0;
      yhat.forEach((a, o) => {
        const d = y[o] - a;
        E += ex.loss === "squared" ? d * d : 0.5 * (d * d);
      });
      steps.push({ t, x, c, net_h: netH, h, net_y: netY, yhat, y, E, delta_y: deltaY });
      c = h; // the copy link
    }
    return steps;
  }

  function zerosParams(p) {
    return {
      W_xh: p.W_xh.map((r) => r.map(() => 0.0)),
      W_ch: p.W_ch.map((r) => r.map(() => 0.0)),
      W_hy: p.W_hy.map((r) => r.map(() => 0.0)),
      b_h: p.b_h.map(() => 0.0),
      b_y: p.b_y.map(() => 0.0),
    };
  }

  function addOutputGrads(g, s) {
    s.delta_y.forEach((d, o) => {
      s.h.forEach((hj, j) => { g.W_hy[o][j] += d * hj; }); // dE/dW_hy = delta_y h^T
      g.b_y[o] += d;
    });
  }

  function addHiddenGrads(g, s, deltaH) {
    deltaH.forEach((d, i) => {
      s.x.forEach((xj, j) => { g.W_xh[i][j] += d * xj; }); // dE/dW_xh = delta_h x^T
      s.c.forEach((cj, j) => { g.W_ch[i][j] += d * cj; }); // dE/dW_ch = delta_h c^T
      g.b_h[i] += d;
    });
  }

  function transposeTimes(W, v) { // W^T v
    return W[0].map((_, j) => {
      let s = 0.0;
      for (let i = 0; i < W.length; i++) s += W[i][j] * v[i];
      return s;
    });
  }

  /* The limit L(t): the oldest step whose hidden state the error E_t reaches. */
  function reachLimit(t, mode, k) {
    if (mode === "all") return 0;
    return Math.max(0, t - (mode === "1" ? 1 : k) + 1);
  }

  /* dE/dtheta over steps 0..T-1 with the weights fixed (srn_reference._window_gradient, one window). */
  function srnGradients(ex, p, steps, mode, k) {
    const g = zerosParams(p);
    const slopeH = UNIT_FUNCTIONS[ex.hidden_activation][1];
    const last = steps.length - 1;
    if (mode === "all") {
      // Every error stops at step 0: one reverse sweep, the BPTT of the unrolled network.
      let dEdh = p.b_h.map(() => 0.0);
      for (let tau = last; tau >= 0; tau--) {
        const s = steps[tau];
        addOutputGrads(g, s);
        const fromOutput = transposeTimes(p.W_hy, s.delta_y);
        dEdh = dEdh.map((v, j) => v + fromOutput[j]);
        const deltaH = dEdh.map((v, j) => v * slopeH(s.h[j]));
        addHiddenGrads(g, s, deltaH);
        dEdh = transposeTimes(p.W_ch, deltaH); // back through the copy link
      }
      return g;
    }
    // Truncated BPTT(k) (k = 1 is copy-back): each error is carried back on its own.
    for (let t = 0; t <= last; t++) {
      const s = steps[t];
      addOutputGrads(g, s);
      let dEdh = transposeTimes(p.W_hy, s.delta_y);
      const limit = reachLimit(t, mode, k);
      for (let tau = t; tau >= limit; tau--) {
        const deltaH = dEdh.map((v, j) => v * slopeH(steps[tau].h[j]));
        addHiddenGrads(g, steps[tau], deltaH);
        if (tau > limit) dEdh = transposeTimes(p.W_ch, deltaH);
      }
    }
    return g;
  }

  /* How E_t alone flows back: delta_h at every step it reaches, for the picture. */
  function errorReach(ex, p, steps, t, mode, k) {
    const slopeH = UNIT_FUNCTIONS[ex.hidden_activation][1];
    const limit = reachLimit(t, mode, k);
    let dEdh = transposeTimes(p.W_hy, steps[t].delta_y);
    const reach = [];
    for (let tau = t; tau >= limit; tau--) {
      const deltaH = dEdh.map((v, j) => v * slopeH(steps[tau].h[j]));
      reach.push({ step: tau, delta_h: deltaH });
      if (tau > limit) dEdh = transposeTimes(p.W_ch, deltaH);
    }
    return { t, limit, reach };
  }

  function scaleParams(g, factor) { // -lr * g, the weight change of one update
    return {
      W_xh: g.W_xh.map((r) => r.map((v) => factor * v)),
      W_ch: g.W_ch.map((r) => r.map((v) => factor * v)),
      W_hy: g.W_hy.map((r) => r.map((v) => factor * v)),
      b_h: g.b_h.map((v) => factor * v),
      b_y: g.b_y.map((v) => factor * v),
    };
  }

  function srnComputed() {
    const ex = srn.examples[srn.index];
    const steps = srnForward(ex, srn.params, srn.t);
    const byMode = {};
    for (const mode of ["1", "k", "all"]) byMode[mode] = srnGradients(ex, srn.params, steps, mode, srn.k);
    const gradients = byMode[srn.throughTime];
    return {
      ex,
      steps,
      byMode,
      gradients,
      changes: scaleParams(gradients, -srn.learningRate),
      reach: srn.t >= 0 ? errorReach(ex, srn.params, steps, srn.t, srn.throughTime, srn.k) : null,
    };
  }

  function srnState() {
    const r = srnComputed();
    let error = 0.0;
    for (const s of r.steps) error += s.E;
    return {
      example: r.ex.name,
      sizes: r.ex.sizes,
      t: srn.t,
      steps_total: r.ex.inputs.length,
      through_time: srn.throughTime,
      k: srn.k,
      learning_rate: srn.learningRate,
      context_start: r.ex.context_start,
      updates_applied: srn.applied,
      params: copyParams(srn.params),
      steps: r.steps.map((s) => ({
        t: s.t, x: s.x, c: s.c, net_h: s.net_h, h: s.h, net_y: s.net_y, yhat: s.yhat, y: s.y, E: s.E,
      })),
      error,
      gradients: r.gradients,
      gradients_by_mode: r.byMode,
      changes: r.changes,
      reach: r.reach,
    };
  }

  function srnStep() {
    const T = srn.examples[srn.index].inputs.length;
    if (srn.t < T - 1) srn.t += 1;
  }

  function srnApply() {
    const r = srnComputed();
    const p = srn.params;
    for (const name of ["W_xh", "W_ch", "W_hy"]) {
      p[name] = p[name].map((row, i) => row.map((w, j) => w + r.changes[name][i][j]));
    }
    for (const name of ["b_h", "b_y"]) p[name] = p[name].map((w, i) => w + r.changes[name][i]);
    srn.t = -1;
    srn.applied += 1;
  }

  // ---- drawing helpers -----------------------------------------------------------------------

  function el(name, attrs, parent, text) {
    const node = document.createElementNS(SVG_NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function html(tag, attrs, parent, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function fmt(v) {
    if (v === null || v === undefined) return "";
    if (!Number.isFinite(v)) return String(v);
    const text = v.toFixed(DIGITS);
    return text === "-0.0000" ? "0.0000" : text.replace("-", "−");
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /* The SVG element `id`, emptied, its drawing's coordinates width x height. */
  function blankSvg(id, width, height) {
    const svg = document.getElementById(id);
    clear(svg);
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    return svg;
  }

  /* A grey for a unit's activation: light for low, dark for high; the text colour follows. */
  function shade(a, activation) {
    const v = activation === "tanh" ? (a + 1) / 2 : a;
    const level = Math.round(245 - 185 * Math.min(1, Math.max(0, v)));
    return { fill: `rgb(${level},${level},${level})`, ink: level < 140 ? "#fff" : "#1a1a1a" };
  }

  // ---- the network drawing -------------------------------------------------------------------

  const NET_W = 900;
  const CHAR_W = 8.3; // the width of a character of the 15px labels, roughly
  const LINE_H = 18;
  const LAYER_GAP = 185;
  const NET_H = 110 + LAYER_GAP * nLayers;

  /* Units bottom to top (inputs at the bottom, as the lecture draws the net); a layer's bias
     unit sits at the far left, below its layer. */
  function unitPositions() {
    const pos = new Map();
    FF.units.forEach((units, layer) => {
      const y = NET_H - 50 - layer * LAYER_GAP;
      const n = units.length;
      const span = Math.min(NET_W - 440, 340 * (n - 1));
      units.forEach((u, i) => {
        pos.set(u, { x: NET_W / 2 - span / 2 + (n === 1 ? span / 2 : (i * span) / (n - 1)), y });
      });
      if (layer >= 1) {
        const bias = wiring.incoming.get(units[0]).find((c) => c.is_bias).source;
        pos.set(bias, { x: 40, y: y + LAYER_GAP * 0.55 });
      }
    });
    return pos;
  }

  function currentRecord() {
    return ff.records.find((r) => r.pattern === ff.shown) || null;
  }

  /* The box a block of text lines takes, anchored at (x, y) like SVG text. */
  function blockBox(x, y, lines, anchor) {
    const width = 12 + CHAR_W * Math.max(...lines.map((s) => s.length));
    const left = anchor === "end" ? x - width : anchor === "middle" ? x - width / 2 : x;
    return { x0: left - 2, y0: y - 15, x1: left - 2 + width, y1: y - 9 + LINE_H * lines.length };
  }

  /* A block of text lines on a white box, so it stays readable over the lines behind it. */
  function textBlock(parent, x, y, lines, anchor, bold) {
    const box = blockBox(x, y, lines, anchor);
    const g = el("g", {}, parent);
    el("rect", { x: box.x0, y: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0, rx: 3, fill: "#fff", "fill-opacity": 0.88 }, g);
    lines.forEach((s, k) => el("text", {
      class: "value", x: anchor === "end" ? x - 6 : anchor === "middle" ? x : x + 4, y: y + LINE_H * k,
      "text-anchor": anchor, "font-weight": bold ? 700 : 400,
    }, g, s));
    return g;
  }

  function overlap(a, b) {
    const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
    const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
    return w > 0 && h > 0 ? w * h : 0;
  }

  // Where along its line a weight's label may sit, in order of preference.
  const LABEL_PLACES = [0.5, 0.3, 0.7, 0.4, 0.6, 0.2, 0.8, 0.25, 0.75, 0.35, 0.65];

  function drawNetwork() {
    const svg = blankSvg("net", NET_W, NET_H);
    const pos = unitPositions();
    const record = currentRecord();
    const unitInfo = new Map();
    if (record) {
      for (const u of record.units) unitInfo.set(u.unit, { ...u });
      if (ff.phase >= 3) for (const c of record.credits) Object.assign(unitInfo.get(c.unit), c);
    }
    const chainOf = new Map(record && ff.phase >= 3 ? record.weights.map((w) => [w.name, w]) : []);
    const maxW = Math.max(1e-9, ...Object.values(ff.weights).map(Math.abs));
    const linesLayer = el("g", {}, svg);
    const unitsLayer = el("g", {}, svg);
    const labelsLayer = el("g", {}, svg);

    // First what every unit shows (its circle and its numbers), so weight labels avoid it.
    const taken = [];
    const unitTexts = [];
    for (const [unit, p] of pos) {
      const isBias = !wiring.layerOf.has(unit);
      const r = isBias ? 19 : 29;
      taken.push({ x0: p.x - r, y0: p.y - r, x1: p.x + r, y1: p.y + r + (isBias ? 22 : 0) });
      if (isBias) continue;
      const info = unitInfo.get(unit);
      const layer = wiring.layerOf.get(unit);
      const lines = [];
      if (info) {
        if (info.x !== null) lines.push(`x${unit} = ${fmt(info.x)}`);
        lines.push(`a${unit} = ${fmt(info.a)}`);
        if (info.dE_da !== undefined) {
          lines.push(`∂E/∂a${unit} = ${fmt(info.dE_da)}`);
          lines.push(`δ${unit} = ∂E/∂x${unit} = ${fmt(info.dE_dx)}`);
        }
      }
      if (layer === nLayers && record) {
        lines.push(`y${unit} = ${fmt(record.targets[FF.units[nLayers].indexOf(unit)])}`);
      }
      if (!lines.length) continue;
      const onLeft = p.x < NET_W / 2 - 1;
      const x = onLeft ? p.x - 31 : p.x + 31;
      const y = p.y + (layer === 0 ? 0 : -20);
      const anchor = onLeft ? "end" : "start";
      taken.push(blockBox(x, y, lines, anchor));
      unitTexts.push([x, y, lines, anchor]);
    }
    if (record && ff.phase >= 2) {
      const out = FF.units[nLayers];
      const last = pos.get(out[out.length - 1]);
      const lines = [`E = ${fmt(record.error)}`];
      taken.push(blockBox(last.x - 31, last.y - 8, lines, "end"));
      unitTexts.push([last.x - 31, last.y - 8, lines, "end", true]);
    }

    FF.connections.forEach((c) => {
      const a = pos.get(c.source);
      const b = pos.get(c.target);
      const w = ff.weights[c.name];
      const selected = ff.selected === c.name;
      const g = el("g", { class: "weight" + (selected ? " selected" : ""), "data-weight": c.name }, linesLayer);
      const shown = el("line", {
        class: "shown", x1: a.x, y1: a.y, x2: b.x, y2: b.y,
        stroke: w >= 0 ? "var(--pos)" : "var(--neg)",
        "stroke-width": (1 + 5 * Math.abs(w) / maxW).toFixed(2),
        "stroke-dasharray": w >= 0 ? "none" : "9 5",
      }, g);
      el("title", {}, shown, `${c.name} = ${w}`);
      el("line", { class: "hit", x1: a.x, y1: a.y, x2: b.x, y2: b.y }, g);

      // The label goes where it covers the fewest other labels and unit numbers.
      const lines = [`${c.name} = ${fmt(w)}`];
      if (chainOf.has(c.name)) lines.push(`∂E/∂w = ${fmt(chainOf.get(c.name).product)}`);
      let best = null;
      for (const frac of LABEL_PLACES) {
        const lx = a.x + (b.x - a.x) * frac;
        const ly = a.y + (b.y - a.y) * frac;
        const box = blockBox(lx, ly, lines, "middle");
        const cost = taken.reduce((sum, t) => sum + overlap(box, t), 0);
        if (best === null || cost < best.cost - 1e-9) best = { lx, ly, box, cost };
        if (cost === 0) break;
      }
      taken.push(best.box);
      const label = textBlock(labelsLayer, best.lx, best.ly, lines, "middle");
      label.setAttribute("class", "weight label" + (selected ? " selected" : ""));
      label.setAttribute("data-weight-label", c.name);
      const choose = () => { ff.selected = c.name; render(); };
      g.addEventListener("click", choose);
      label.addEventListener("click", choose);
    });

    for (const [unit, p] of pos) {
      const isBias = !wiring.layerOf.has(unit);
      const info = unitInfo.get(unit);
      const layer = wiring.layerOf.get(unit);
      const act = layer === undefined || layer === 0 ? "logistic" : activationOf(ff.settings, layer);
      const g = el("g", { class: "unit" + (isBias ? " bias" : ""), transform: `translate(${p.x},${p.y})`, "data-unit": unit }, unitsLayer);
      const colours = info ? shade(info.a, act) : isBias ? shade(1, "logistic") : { fill: "#fff", ink: "#1a1a1a" };
      el("circle", { r: isBias ? 17 : 27, fill: colours.fill }, g);
      el("text", { "text-anchor": "middle", y: 7, "font-size": isBias ? 16 : 21, "font-weight": 700, fill: colours.ink }, g, String(unit));
      if (isBias) el("text", { class: "small muted", "text-anchor": "middle", y: 32 }, g, "always 1");
    }
    for (const [x, y, lines, anchor, bold] of unitTexts) textBlock(labelsLayer, x, y, lines, anchor, bold);
  }

  // ---- the explanation panel: the chain rule of the selected weight --------------------------

  function explainHtml() {
    const box = document.getElementById("explain");
    clear(box);
    const record = currentRecord();
    const para = (text, cls) => html("p", cls ? { class: cls } : {}, box, text);
    const phaseName = ff.phase === 0 ? "start" : PHASES[ff.phase - 1];
    const s = ff.settings;
    if (!record) {
      para("Press Forward (F) to send the pattern through the net.");
      return;
    }
    if (!ff.selected || ff.phase < 3) {
      const texts = {
        forward: "Forward: each unit adds up its inputs, x_i = w0,i + Σ_j w_j,i a_j, and passes the sum through its function: a_i = f(x_i).",
        error: `Error: ${LOSS_TEXT[s.loss].E}, summed over the output units.`,
        backward: "Backward: each unit's share of the blame, ∂E/∂a_i, from the loss at the output and from the units above at a hidden unit: ∂E/∂a_i = Σ_k ∂E/∂x_k · w_i,k. Click a weight for its chain rule.",
        update: `Update: Δw = −η ∂E/∂w + α Δw(previous), with η = ${s.learning_rate} and α = ${s.momentum}; w ← w + Δw.`,
      };
      para(texts[phaseName] || texts.forward);
      if (ff.phase >= 3) para("Click a weight (its line or its label) to see its chain rule.", "note");
      return;
    }
    const w = record.weights.find((r) => r.name === ff.selected);
    const i = w.target;
    const j = w.source;
    const name = `w${j},${i}`;
    const dxdw = FF.connections.find((c) => c.name === name).is_bias ? `1 (unit ${j} is always on)` : `a${j}`;
    para(`∂E/∂${name} = ∂E/∂a${i} · ∂a${i}/∂x${i} · ∂x${i}/∂${name}`, "formula");
    para(`= ${fmt(w.dE_da)} · ${fmt(w.slope)} · ${fmt(w.dx_dw)} = ${fmt(w.product)}`, "formula");
    const credit = record.credits.find((c) => c.unit === i);
    if (wiring.layerOf.get(i) === nLayers) {
      para(`where ${LOSS_TEXT[s.loss].dEda(i)}, ${SLOPE_TEXT[activationOf(s, nLayers)](i)} and ∂x${i}/∂${name} = ${dxdw}`, "formula");
    } else {
      const terms = credit.terms.map((t) => `∂E/∂x${t.source} · w${i},${t.source}`).join(" + ");
      const values = credit.terms.map((t) => `${fmt(t.dE_dx)} · ${fmt(t.value)}`).join(" + ");
      para(`where ∂E/∂a${i} = ${terms} = ${values} = ${fmt(credit.dE_da)}`, "formula");
      para(`${SLOPE_TEXT[activationOf(s, wiring.layerOf.get(i))](i)} and ∂x${i}/∂${name} = ${dxdw}`, "formula");
    }
    if (ff.phase === PHASES.length) {
      const c = ff.changes.find((ch) => ch.name === name);
      const summed = ff.records.length > 1 ? " (∂E/∂w summed over the batch)" : "";
      para(`Δ${name} = −η ∂E/∂w + α Δ${name}(prev) = −${s.learning_rate} · ${fmt(c.gradient)} + ${s.momentum} · ${fmt(c.previous_change)} = ${fmt(c.change)}${summed}`, "formula");
      para(`new ${name} = ${fmt(c.old)} + ${fmt(c.change)} = ${fmt(c.new)}`, "formula");
    }
  }

  // ---- tables --------------------------------------------------------------------------------

  function numberInput(value, onChange, label) {
    const input = html("input", { type: "number", step: "any", "aria-label": label, title: String(value) });
    input.value = String(Number(value.toFixed(4))); // as on the diagram; the exact value is its title
    input.addEventListener("change", () => {
      const v = Number(input.value);
      if (input.value.trim() === "" || !Number.isFinite(v)) {
        input.setCustomValidity("a number, please");
        input.reportValidity();
        return;
      }
      input.setCustomValidity("");
      onChange(v);
      render();
    });
    return input;
  }

  function drawPatterns() {
    const table = document.getElementById("patterns");
    clear(table);
    const head = html("tr", {}, html("thead", {}, table));
    html("th", {}, head, "#");
    FF.units[0].forEach((u) => html("th", {}, head, `a${u}`));
    FF.units[nLayers].forEach((u) => html("th", {}, head, `y${u}`));
    FF.units[nLayers].forEach((u) => html("th", {}, head, `out a${u}`));
    html("th", {}, head, "E");
    const body = html("tbody", {}, table);
    const byPattern = new Map(ff.records.map((r) => [r.pattern, r]));
    ff.inputs.forEach((x, p) => {
      const isCurrent = ff.settings.update === "online" ? p === ff.position : p === ff.shown;
      const tr = html("tr", { class: "clickable" + (isCurrent ? " current" : ""), "data-pattern": p }, body);
      const num = html("td", {}, tr);
      const pick = html("button", { type: "button", class: "quiet", "aria-label": `use pattern ${p + 1}` }, num, String(p + 1));
      pick.addEventListener("click", () => { selectPattern(p); render(); });
      x.forEach((v, j) => html("td", {}, tr).appendChild(numberInput(v, (nv) => { ff.inputs[p][j] = nv; restartFromHere(); }, `pattern ${p + 1} input ${j + 1}`)));
      ff.targets[p].forEach((v, o) => html("td", {}, tr).appendChild(numberInput(v, (nv) => { ff.targets[p][o] = nv; restartFromHere(); }, `pattern ${p + 1} target ${o + 1}`)));
      const r = byPattern.get(p);
      FF.units[nLayers].forEach((u) => html("td", {}, tr, r ? fmt(r.units.find((q) => q.unit === u).a) : ""));
      html("td", {}, tr, r && ff.phase >= 2 ? fmt(r.error) : "");
    });
  }

  function drawWeights() {
    const table = document.getElementById("weights");
    clear(table);
    const head = html("tr", {}, html("thead", {}, table));
    const batch = ff.records.length > 1;
    for (const t of ["weight", "w now", batch ? "Σ ∂E/∂w" : "∂E/∂w", "Δw"]) html("th", {}, head, t);
    const body = html("tbody", {}, table);
    const grads = new Map();
    if (ff.phase >= 3) {
      wiring.names.forEach((name, index) => {
        let g = 0.0;
        for (const r of ff.records) g += r.weights[index].product;
        grads.set(name, g);
      });
    }
    const changes = new Map((ff.changes || []).map((c) => [c.name, c]));
    for (const name of wiring.names) {
      const tr = html("tr", { class: ff.selected === name ? "selected" : "", "data-weight": name }, body);
      const nameCell = html("td", { class: "name" }, tr);
      const pick = html("button", { type: "button", class: "quiet" }, nameCell, name);
      pick.addEventListener("click", () => { ff.selected = name; render(); });
      const input = numberInput(ff.weights[name], (v) => {
        if (ff.phase === PHASES.length) advance();
        ff.weights[name] = v;
        restartFromHere();
      }, `weight ${name}`);
      input.id = `weight-${name.replace(",", "-")}`;
      html("td", {}, tr).appendChild(input);
      const c = changes.get(name);
      html("td", {}, tr, c ? fmt(c.gradient) : grads.has(name) ? fmt(grads.get(name)) : "");
      html("td", {}, tr, c ? fmt(c.change) : "");
    }
  }

  // ---- the error curve and the hidden space --------------------------------------------------

  function drawCurve() {
    const W = 460;
    const H = 170;
    const svg = blankSvg("curve", W, H);
    const L = 50;
    const B = H - 28;
    const points = ff.curve;
    el("line", { class: "axis", x1: L, y1: 8, x2: L, y2: B }, svg);
    el("line", { class: "axis", x1: L, y1: B, x2: W - 10, y2: B }, svg);
    el("text", { class: "small muted", x: W - 10, y: H - 6, "text-anchor": "end" }, svg, "epoch");
    if (!points.length) return;
    const e0 = points[0][0];
    const e1 = Math.max(e0 + 1, points[points.length - 1][0]);
    const maxE = Math.max(1e-12, ...points.map((p) => p[1]));
    const X = (e) => L + ((W - 10 - L) * (e - e0)) / (e1 - e0);
    const Y = (v) => B - ((B - 10) * v) / maxE;
    el("text", { class: "small muted", x: L - 4, y: 14, "text-anchor": "end" }, svg, fmt(maxE));
    el("text", { class: "small muted", x: L - 4, y: B, "text-anchor": "end" }, svg, "0");
    el("text", { class: "small muted", x: L, y: H - 6 }, svg, String(e0));
    el("text", { class: "small muted", x: W - 60, y: H - 6, "text-anchor": "end" }, svg, String(e1));
    el("polyline", { class: "curve", points: points.map((p) => `${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(" ") }, svg);
    const [le, lv] = points[points.length - 1];
    el("text", { class: "value", x: W - 12, y: 22, "text-anchor": "end" }, svg, `E after epoch ${le} = ${fmt(lv)}`);
  }

  function drawHiddenSpace() {
    const W = 460;
    const H = 300;
    const svg = blankSvg("hidden-space", W, H);
    if (!(nLayers === 2 && FF.sizes[1] === 2 && FF.sizes[2] === 1)) {
      el("text", { class: "value muted", x: 10, y: 30 }, svg, "The hidden-space plot needs 2 hidden units and 1 output.");
      return;
    }
    const [h1, h2] = FF.units[1];
    const out = FF.units[2][0];
    const tanh = ff.settings.hidden_activation === "tanh";
    const lo = tanh ? -1 : 0;
    const size = 240;
    const L = 60;
    const T = 16;
    const X = (a) => L + (size * (a - lo)) / (1 - lo);
    const Y = (a) => T + size - (size * (a - lo)) / (1 - lo);
    el("rect", { x: L, y: T, width: size, height: size, fill: "#fafafa", stroke: "#999" }, svg);
    el("text", { class: "value", x: L + size / 2, y: T + size + 32, "text-anchor": "middle" }, svg, `a${h1}`);
    el("text", { class: "value", x: L - 30, y: T + size / 2, "text-anchor": "middle" }, svg, `a${h2}`);
    for (const v of [lo, 1]) {
      el("text", { class: "small muted", x: X(v), y: T + size + 14, "text-anchor": "middle" }, svg, String(v));
      el("text", { class: "small muted", x: L - 6, y: Y(v) + 4, "text-anchor": "end" }, svg, String(v));
    }
    // The output unit's line: where a_out = 0.5, i.e. w_b,out + w_h1,out a_h1 + w_h2,out a_h2 = x_half.
    const inc = wiring.incoming.get(out);
    const wb = ff.weights[inc.find((c) => c.is_bias).name];
    const w1 = ff.weights[inc.find((c) => c.source === h1).name];
    const w2 = ff.weights[inc.find((c) => c.source === h2).name];
    const half = HALF_POINT[ff.settings.output_activation];
    const pts = [];
    const edge = (a1, a2) => { if (a1 >= lo - 1e-9 && a1 <= 1 + 1e-9 && a2 >= lo - 1e-9 && a2 <= 1 + 1e-9) pts.push([a1, a2]); };
    if (Math.abs(w2) > 1e-12) for (const a1 of [lo, 1]) edge(a1, (half - wb - w1 * a1) / w2);
    if (Math.abs(w1) > 1e-12) for (const a2 of [lo, 1]) edge((half - wb - w2 * a2) / w1, a2);
    if (pts.length >= 2) {
      el("line", { class: "boundary", x1: X(pts[0][0]), y1: Y(pts[0][1]), x2: X(pts[1][0]), y2: Y(pts[1][1]) }, svg);
    }
    el("text", { class: "small", x: L + size + 40, y: T + 14 }, svg, `dashed: a${out} = 0.5`);
    el("circle", { cx: L + size + 46, cy: T + 28, r: 6, fill: "var(--pos)" }, svg);
    el("text", { class: "small", x: L + size + 58, y: T + 32 }, svg, "target 1");
    el("rect", { x: L + size + 40, y: T + 40, width: 12, height: 12, fill: "#fff", stroke: "var(--neg)", "stroke-width": 2.5 }, svg);
    el("text", { class: "small", x: L + size + 58, y: T + 50 }, svg, "target 0");
    const points = ff.inputs.map((x, p) => {
      const r = explainPattern(ff.settings, ff.weights, x, ff.targets[p], p);
      const a1 = r.units.find((u) => u.unit === h1).a;
      const a2 = r.units.find((u) => u.unit === h2).a;
      return { cx: X(a1), cy: Y(a2), text: x.map((v) => String(v)).join(" "), target: ff.targets[p][0] };
    });
    // Each pattern's inputs beside its point, on the side that covers no other point or label.
    const taken = points.map((q) => ({ x0: q.cx - 8, y0: q.cy - 8, x1: q.cx + 8, y1: q.cy + 8 }));
    for (const q of points) {
      const w = 8 + 7 * q.text.length;
      let best = null;
      for (const [dx, dy] of [[10, -10], [-10 - w, -10], [10, 18], [-10 - w, 18], [10, -26], [-10 - w, -26], [10, 32], [-10 - w, 32]]) {
        const box = { x0: q.cx + dx, y0: q.cy + dy - 11, x1: q.cx + dx + w, y1: q.cy + dy + 3 };
        const cost = taken.reduce((sum, t) => sum + overlap(box, t), 0);
        if (best === null || cost < best.cost) best = { box, cost, dx, dy };
        if (cost === 0) break;
      }
      taken.push(best.box);
      el("text", { class: "small", x: q.cx + best.dx, y: q.cy + best.dy }, svg, q.text);
    }
    for (const q of points) {
      if (q.target >= 0.5) el("circle", { cx: q.cx, cy: q.cy, r: 7, fill: "var(--pos)" }, svg);
      else el("rect", { x: q.cx - 7, y: q.cy - 7, width: 14, height: 14, fill: "#fff", stroke: "var(--neg)", "stroke-width": 2.5 }, svg);
    }
  }

  function drawStatus() {
    const s = ff.settings;
    const phaseName = ff.phase === 0 ? "ready" : `${PHASES[ff.phase - 1]} done`;
    const p = ff.shown;
    const pattern = `${ff.inputs[p].join(" ")} → ${ff.targets[p].join(" ")}`;
    const what = s.update === "online"
      ? `pattern ${ff.position + 1} of ${nPatterns()} (${pattern})`
      : `batch of ${nPatterns()} patterns, showing ${p + 1} (${pattern})`;
    document.getElementById("status").textContent =
      `${FF.sizes.join("-")} net · epoch ${ff.epoch} · ${what} · ${phaseName} · updates in this example: ${ff.log.length}`;
    document.querySelectorAll("button.phase").forEach((b) => {
      const i = PHASES.indexOf(b.dataset.phase);
      const done = ff.phase !== PHASES.length ? i < ff.phase : true;
      b.classList.toggle("done", done);
      b.classList.toggle("next", ff.phase === PHASES.length ? i === 0 : i === ff.phase);
    });
  }

  function syncSettings() {
    for (const key of Object.keys(ff.settings)) {
      const input = document.getElementById(`set-${key}`);
      if (document.activeElement !== input) input.value = String(ff.settings[key]);
    }
  }

  // ---- the SRN drawing -----------------------------------------------------------------------

  function drawSrn() {
    const r = srnComputed();
    const ex = r.ex;
    const T = ex.inputs.length;
    const [nIn, nHid, nOut] = ex.sizes;
    const colW = 104;
    const left = 70;
    const W = left + colW * T + 10;
    const big = nHid <= 4;
    const cell = big ? 30 : 9;
    const perRow = big ? nHid : 10;
    const hidRows = Math.ceil(nHid / perRow);
    const yOut = 88;
    const yHid = 188;
    const yIn = 268 + (hidRows - 1) * cell;
    const H = yIn + 70;
    const svg = blankSvg("srn-unrolled", W, H);
    const reached = new Set(r.reach ? r.reach.reach.map((q) => q.step) : []);
    const deltaAt = new Map(r.reach ? r.reach.reach.map((q) => [q.step, q.delta_h]) : []);

    el("text", { class: "small muted", x: 4, y: yOut + 4 }, svg, "output ŷ");
    el("text", { class: "small muted", x: 4, y: yHid + 4 }, svg, "hidden h");
    el("text", { class: "small muted", x: 4, y: yIn + 4 }, svg, "input x");

    const groupBox = (n, x0, y0, values, act, cols) => {
      const c = Math.min(cols, n);
      const sz = n <= 4 ? 30 : n <= 6 ? 13 : cell;
      const width = c * sz;
      const g = el("g", {}, svg);
      values.forEach((v, i) => {
        const col = i % c;
        const row = Math.floor(i / c);
        const colours = v === null ? { fill: "#fff", ink: "#1a1a1a" } : shade(v, act);
        const rect = el("rect", { class: "cell", x: x0 - width / 2 + col * sz, y: y0 - sz / 2 + row * sz, width: sz, height: sz, fill: colours.fill }, g);
        if (v !== null) el("title", {}, rect, String(v));
        if (n <= 2 && v !== null) el("text", { class: "small", x: x0 - width / 2 + col * sz + sz / 2, y: y0 + 4 + row * sz, "text-anchor": "middle", fill: colours.ink }, g, v.toFixed(2));
      });
      return { top: y0 - sz / 2, bottom: y0 - sz / 2 + Math.ceil(n / c) * sz, width };
    };

    for (let t = 0; t < T; t++) {
      const cx = left + colW * t + colW / 2;
      const s = t <= srn.t ? r.steps[t] : null;
      const cls = t === srn.t ? "step-box current" : reached.has(t) ? "step-box reached" : "step-box";
      el("rect", { class: cls, x: cx - colW / 2 + 3, y: 8, width: colW - 6, height: H - 14, rx: 6 }, svg);
      const g = el("g", { class: s ? "" : "future" }, svg);
      el("text", { class: "small", x: cx, y: 22, "text-anchor": "middle", "font-weight": 700 }, g, `t = ${t}`);
      const outBox = groupBox(nOut, cx, yOut, s ? s.yhat : Array(nOut).fill(null), ex.output_activation, 6);
      const hidBox = groupBox(nHid, cx, yHid, s ? s.h : Array(nHid).fill(null), ex.hidden_activation, perRow);
      const inBox = groupBox(nIn, cx, yIn, s ? s.x : Array(nIn).fill(null), "logistic", 6);
      el("text", { class: "small", x: cx, y: inBox.bottom + 16, "text-anchor": "middle" }, g, `"${ex.items[t]}"`);
      el("line", { class: "copy", x1: cx, y1: inBox.top - 2, x2: cx, y2: hidBox.bottom + 6, "marker-end": "url(#arrow)" }, svg);
      el("line", { class: "copy", x1: cx, y1: hidBox.top - 2, x2: cx, y2: outBox.bottom + 6, "marker-end": "url(#arrow)" }, svg);
      if (s) el("text", { class: "small", x: cx, y: 40, "text-anchor": "middle" }, g, `E${t} = ${s.E.toFixed(3)}`);
      // the copy: c_t = h_{t-1}, an arrow from the previous step's hidden layer
      const fromX = t === 0 ? left - 10 : cx - colW + hidBox.width / 2 + 2;
      el("line", { class: "copy", x1: fromX, y1: yHid, x2: cx - hidBox.width / 2 - 6, y2: yHid, "marker-end": "url(#arrow)" }, svg);
      el("text", { class: "small muted", x: cx - colW / 2 + 4, y: yHid - 20 }, svg, t === 0 ? `c=${ex.context_start}` : "copy");
      if (deltaAt.has(t)) {
        const d = deltaAt.get(t);
        const norm = Math.sqrt(d.reduce((acc, v) => acc + v * v, 0));
        el("text", { class: "small", x: cx, y: 54, "text-anchor": "middle", fill: "#7a2d5c" }, svg, `|δh| = ${norm.toExponential(1)}`);
      }
    }
    if (r.reach) {
      const t = r.reach.t;
      const cx = left + colW * t + colW / 2;
      el("path", { class: "backflow", d: `M ${cx + 26} ${yOut + 14} L ${cx + 26} ${yHid - 26}`, "marker-end": "url(#arrow-back)" }, svg);
      for (const q of r.reach.reach) {
        if (q.step === r.reach.limit) continue;
        const x1 = left + colW * q.step + colW / 2;
        el("path", { class: "backflow", d: `M ${x1 - 10} ${yHid - 30} Q ${x1 - colW / 2} ${yHid - 62} ${x1 - colW + 10} ${yHid - 30}`, "marker-end": "url(#arrow-back)" }, svg);
      }
      const lx = left + colW * r.reach.limit + 6;
      if (r.reach.limit > 0) el("text", { class: "small", x: lx, y: H - 10, fill: "#7a2d5c" }, svg, "stops here");
    }
    const defs = el("defs", {}, svg);
    for (const [id, colour] of [["arrow", "#333"], ["arrow-back", "#cc79a7"]]) {
      const m = el("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
      el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: colour }, m);
    }
    drawSrnText(r);
  }

  function drawSrnText(r) {
    const ex = r.ex;
    const mode = srn.throughTime;
    const modeText = { "1": "copy-back: the error stops at h(t); the context is just another input", k: `BPTT(k = ${srn.k}): each error E_t reaches back through ${srn.k} hidden states`, all: "full BPTT: every error reaches back to the first step, E = Σ_t E_t" }[mode];
    let error = 0.0;
    for (const s of r.steps) error += s.E;
    document.getElementById("srn-status").textContent = srn.t < 0
      ? `${ex.label} · press Next step (S) · ${modeText}`
      : `${ex.label} · step ${srn.t + 1} of ${ex.inputs.length} · E = Σ_t E_t = ${fmt(error)} · ${modeText}`;

    const box = document.getElementById("srn-explain");
    clear(box);
    html("p", { class: "formula" }, box, "c(t) = h(t−1) (a copy), h(t) = f(W_xh x(t) + W_ch c(t) + b_h), ŷ(t) = f(W_hy h(t) + b_y); ∂E/∂W = Σ_t ∂E_t/∂W.");
    if (r.reach) {
      const steps = r.reach.reach.map((q) => q.step);
      const span = steps.length === 1 ? `only the hidden state of step ${steps[0]}` : `the hidden states of steps ${steps[steps.length - 1]}–${steps[0]} (the dashed arrows)`;
      html("p", {}, box, `E_${r.reach.t} reaches ${span}; at step ${r.reach.limit} the context c(${r.reach.limit}) is treated as a constant input.`);
    }

    const stepTable = document.getElementById("srn-step-table");
    clear(stepTable);
    if (srn.t >= 0) {
      const s = r.steps[srn.t];
      const columns = [["x(t)", s.x], ["c(t)", s.c], ["h(t)", s.h], ["ŷ(t)", s.yhat], ["y(t)", s.y]];
      const head = html("tr", {}, html("thead", {}, stepTable));
      html("th", {}, head, "unit");
      for (const [label] of columns) html("th", {}, head, label);
      const body = html("tbody", {}, stepTable);
      const n = Math.max(s.x.length, s.h.length, s.yhat.length);
      for (let i = 0; i < n; i++) {
        const tr = html("tr", {}, body);
        html("td", {}, tr, String(i + 1));
        for (const [, values] of columns) html("td", {}, tr, i < values.length ? fmt(values[i]) : "");
      }
    }

    const table = document.getElementById("srn-grads");
    clear(table);
    const head = html("tr", {}, html("thead", {}, table));
    const nWeights = ["W_xh", "W_ch", "W_hy"].reduce((acc, k) => acc + srn.params[k].length * srn.params[k][0].length, 0) + srn.params.b_h.length + srn.params.b_y.length;
    const detailed = nWeights <= 24;
    const labels = detailed ? ["weight", "w", "copy-back", `BPTT(${srn.k})`, "full BPTT", "Δw"] : ["weights", "copy-back", `BPTT(${srn.k})`, "full BPTT", "‖ΔW‖"];
    labels.forEach((t) => html("th", { class: t.startsWith("weight") ? "name" : "" }, head, t));
    const body = html("tbody", {}, table);
    const flat = (p, name) => (Array.isArray(p[name][0]) ? p[name].flat() : p[name]);
    const norm = (values) => Math.sqrt(values.reduce((acc, v) => acc + v * v, 0));
    for (const name of ["W_xh", "W_ch", "W_hy", "b_h", "b_y"]) {
      if (detailed) {
        const shape = Array.isArray(srn.params[name][0]) ? srn.params[name][0].length : 1;
        flat(srn.params, name).forEach((w, idx) => {
          const tr = html("tr", {}, body);
          const label = shape > 1 || Array.isArray(srn.params[name][0]) ? `${name}[${Math.floor(idx / shape)},${idx % shape}]` : `${name}[${idx}]`;
          html("td", { class: "name" }, tr, label);
          html("td", {}, tr, fmt(w));
          for (const m of ["1", "k", "all"]) html("td", m === mode ? { class: "chosen" } : {}, tr, fmt(flat(r.byMode[m], name)[idx]));
          html("td", {}, tr, fmt(flat(r.changes, name)[idx]));
        });
      } else {
        const tr = html("tr", {}, body);
        html("td", { class: "name" }, tr, name);
        for (const m of ["1", "k", "all"]) html("td", {}, tr, fmt(norm(flat(r.byMode[m], name))));
        html("td", {}, tr, fmt(norm(flat(r.changes, name))));
      }
    }
    document.getElementById("srn-example").value = String(srn.index);
    const input = document.getElementById("srn-lr");
    if (document.activeElement !== input) input.value = String(srn.learningRate);
    const kInput = document.getElementById("srn-k");
    if (document.activeElement !== kInput) kInput.value = String(srn.k);
    document.querySelectorAll('input[name="through_time"]').forEach((radio) => { radio.checked = radio.value === srn.throughTime; });
  }

  // ---- putting it together -------------------------------------------------------------------

  let activeTab = "backprop";

  function render() {
    if (activeTab === "backprop") {
      drawStatus();
      drawNetwork();
      explainHtml();
      drawPatterns();
      drawWeights();
      drawCurve();
      drawHiddenSpace();
      syncSettings();
    } else {
      drawSrn();
    }
  }

  function showTab(name) {
    activeTab = name;
    for (const tab of ["backprop", "srn"]) {
      document.getElementById(`panel-${tab}`).hidden = tab !== name;
      document.getElementById(`tab-${tab}`).setAttribute("aria-selected", String(tab === name));
    }
    render();
  }

  /* Complete n epochs, a few at a time so the error curve grows while it runs. */
  function runEpochs(n) {
    if (ff.running) return Promise.resolve();
    ff.running = true;
    let left = n;
    return new Promise((resolve) => {
      const chunk = () => {
        const until = performance.now() + 30;
        while (left > 0 && performance.now() < until) {
          completeUpdate();
          if (epochComplete()) left -= 1;
        }
        render();
        if (left > 0) {
          requestAnimationFrame(chunk);
        } else {
          ff.running = false;
          resolve();
        }
      };
      chunk();
    });
  }

  function setSetting(key, raw) {
    const s = { ...ff.settings };
    if (key === "learning_rate" || key === "momentum") {
      const v = Number(raw);
      const ok = key === "learning_rate" ? Number.isFinite(v) && v > 0 : v >= 0 && v < 1;
      if (!ok || String(raw).trim() === "") return false;
      s[key] = v;
    } else {
      s[key] = raw;
    }
    if (ff.phase === PHASES.length) advance();
    const modeChanged = key === "update" && raw !== ff.settings.update;
    ff.settings = s;
    if (modeChanged && s.update === "batch") ff.position = 0;
    restartFromHere();
    return true;
  }

  function wire() {
    document.querySelectorAll("button.phase").forEach((b) =>
      b.addEventListener("click", () => { step(b.dataset.phase); render(); }));
    document.getElementById("next-pattern").addEventListener("click", () => { nextPattern(); render(); });
    document.getElementById("next-epoch").addEventListener("click", () => { nextEpoch(); render(); });
    document.getElementById("run").addEventListener("click", () => runEpochs(epochsToRun()));
    document.getElementById("reset").addEventListener("click", () => { startAgain(); render(); });
    for (const key of Object.keys(ff.settings)) {
      const input = document.getElementById(`set-${key}`);
      input.addEventListener("change", () => {
        if (!setSetting(key, input.value)) {
          input.setCustomValidity(key === "momentum" ? "momentum is in [0, 1)" : "a number > 0");
          input.reportValidity();
          return;
        }
        input.setCustomValidity("");
        render();
      });
    }
    document.getElementById("export-csv").addEventListener("click", (event) => {
      event.currentTarget.href = "data:text/csv;charset=utf-8," + encodeURIComponent(worksheetCsv());
    });
    document.querySelectorAll(".tabs button").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));
    const help = document.getElementById("help");
    const helpButton = document.getElementById("help-toggle");
    helpButton.addEventListener("click", () => {
      help.hidden = !help.hidden;
      helpButton.setAttribute("aria-expanded", String(!help.hidden));
    });

    const select = document.getElementById("srn-example");
    srn.examples.forEach((ex, i) => html("option", { value: String(i) }, select, ex.label));
    select.addEventListener("change", () => { srnSelect(Number(select.value)); render(); });
    document.querySelectorAll('input[name="through_time"]').forEach((radio) =>
      radio.addEventListener("change", () => { srn.throughTime = radio.value; render(); }));
    const kInput = document.getElementById("srn-k");
    kInput.addEventListener("change", () => {
      const k = Number(kInput.value);
      if (Number.isInteger(k) && k >= 1) { srn.k = k; render(); }
    });
    const lrInput = document.getElementById("srn-lr");
    lrInput.addEventListener("change", () => {
      const v = Number(lrInput.value);
      if (Number.isFinite(v) && v > 0) { srn.learningRate = v; render(); }
    });
    document.getElementById("srn-step").addEventListener("click", () => { srnStep(); render(); });
    document.getElementById("srn-all").addEventListener("click", () => { srnToEnd(); render(); });
    document.getElementById("srn-restart").addEventListener("click", () => { srn.t = -1; render(); });
    document.getElementById("srn-apply").addEventListener("click", () => { srnApply(); render(); });

    document.addEventListener("keydown", (event) => {
      const tag = event.target.tagName;
      if (event.ctrlKey || event.metaKey || event.altKey || tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
      const key = event.key.toLowerCase();
      const actions = {
        1: () => showTab("backprop"),
        2: () => showTab("srn"),
        "?": () => helpButton.click(),
        f: () => step("forward"),
        e: () => step("error"),
        b: () => step("backward"),
        u: () => step("update"),
        n: () => nextPattern(),
        m: () => nextEpoch(),
        r: () => runEpochs(epochsToRun()),
        z: () => startAgain(),
        s: () => srnStep(),
        a: () => srnToEnd(),
        c: () => { srn.throughTime = "1"; },
        k: () => { srn.throughTime = "k"; },
        l: () => { srn.throughTime = "all"; },
      };
      const srnKeys = "sackl";
      if (!(key in actions)) return;
      event.preventDefault();
      if (srnKeys.includes(key) && activeTab !== "srn") showTab("srn");
      if ("febunmrz".includes(key) && activeTab !== "backprop") showTab("backprop");
      actions[key]();
      render();
    });
  }

  function srnToEnd() {
    srn.t = srn.examples[srn.index].inputs.length - 1;
  }

  function epochsToRun() {
    const n = Math.round(Number(document.getElementById("run-epochs").value));
    return Number.isFinite(n) ? Math.min(5000, Math.max(1, n)) : 1;
  }

  // ---- start: the first pattern, the weights the page was written with ----------------------

  srnSelect(0);
  startAgain();
  wire();
  render();

  window.srnlabExplorer = {
    state: () => JSON.parse(JSON.stringify({ feedforward: ffState(), srn: srnState() })),
    step: (phase) => { step(phase); render(); return ffState(); },
    nextPattern: () => { nextPattern(); render(); },
    nextEpoch: () => { nextEpoch(); render(); },
    runEpochs: (n) => runEpochs(n),
    startAgain: () => { startAgain(); render(); },
    select: (name) => { ff.selected = name; render(); },
    worksheetCsv,
    pyRepr,
    showTab,
    srn: {
      select: (index) => { srnSelect(index); render(); },
      step: () => { srnStep(); render(); },
      toEnd: () => { srnToEnd(); render(); },
      restart: () => { srn.t = -1; render(); },
      setThroughTime: (mode, k) => {
        if (!["1", "k", "all"].includes(mode)) throw new Error(`through_time is 1, k or all, not ${mode}`);
        srn.throughTime = mode;
        if (k !== undefined) srn.k = k;
        render();
      },
      apply: () => { srnApply(); render(); },
    },
  };
})();
