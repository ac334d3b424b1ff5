/* Cost calculator. The arithmetic mirrors generator/pricing_math.py exactly:
   prices are integer micro-dollars per 1M tokens (or per request), token counts
   are integers, products are exact BigInt pico-dollars, rounded once for display.
   The page already shows the example's cost; this only reprices on input. */
(function () {
  "use strict";
  var PICO_PER_MICRO = 1000000n;

  function requestCostPico(rates, usage) {
    var prices = Object.assign({}, rates.r);
    var totalInput = usage.input + usage.cached;
    (rates.t || []).forEach(function (tier) {
      if (totalInput > tier[0]) prices = Object.assign({}, rates.r, tier[1]);
    });
    var inDim = usage.batch ? "batch_input" : "input";
    var outDim = usage.batch ? "batch_output" : "output";
    var parts = [[usage.input, [inDim]], [usage.cached, ["cache_read", inDim]], [usage.output, [outDim]]];
    var cost = 0n;
    for (var i = 0; i < parts.length; i++) {
      var tokens = parts[i][0], dims = parts[i][1];
      if (tokens === 0) continue;
      var price = null;
      for (var j = 0; j < dims.length; j++) {
        if (prices[dims[j]] !== undefined) { price = prices[dims[j]]; break; }
      }
      if (price === null) return null;
      cost += BigInt(price) * BigInt(tokens);
    }
    if (usage.batch && (prices[inDim] === undefined || prices[outDim] === undefined)) return null;
    if (prices.per_request !== undefined) cost += BigInt(prices.per_request) * PICO_PER_MICRO;
    return cost;
  }

  function periodCostPico(rates, usage) {
    var one = requestCostPico(rates, usage);
    return one === null ? null : one * BigInt(usage.requests);
  }

  function group(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function formatCost(pico) {
    var micro = (pico + PICO_PER_MICRO / 2n) / PICO_PER_MICRO;
    if (micro >= 1000000n) {
      var cents = (micro + 5000n) / 10000n;
      return "$" + group((cents / 100n).toString()) + "." + (cents % 100n).toString().padStart(2, "0");
    }
    if (micro === 0n) return pico === 0n ? "$0" : "<$0.000001";
    var fraction = micro.toString().padStart(6, "0").replace(/0+$/, "");
    return "$0." + fraction.padEnd(2, "0");
  }

  var api = { requestCostPico: requestCostPico, periodCostPico: periodCostPico, formatCost: formatCost };
  globalThis.modeldirCalc = api;
  if (typeof document === "undefined") return;

  function count(form, name) {
    var field = form.elements.namedItem(name);
    if (!field) return 0;
    var n = Math.floor(Number(field.value));
    return Number.isFinite(n) && n > 0 ? Math.min(n, 1e12) : 0;
  }

  function update(form) {
    var days = Number(form.dataset.days);
    var perDay = form.elements.namedItem("per").value === "day";
    var requests = count(form, "requests") * (perDay ? days : 1);
    var batchField = form.elements.namedItem("batch");
    var usage = {
      input: count(form, "input"), cached: count(form, "cached"), output: count(form, "output"),
      requests: requests, batch: Boolean(batchField && batchField.checked)
    };
    var body = form.querySelector("[data-calc-rows]");
    var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
      var rates = JSON.parse(row.dataset.rates);
      var one = requestCostPico(rates, usage);
      row.querySelector("[data-per-request]").textContent = one === null ? "Not available" : formatCost(one);
      row.querySelector("[data-per-period]").textContent =
        one === null ? "Not available" : formatCost(one * BigInt(requests));
      return { row: row, one: one, index: index };
    });
    rows.sort(function (a, b) {
      if ((a.one === null) !== (b.one === null)) return a.one === null ? 1 : -1;
      if (a.one !== null && a.one !== b.one) return a.one < b.one ? -1 : 1;
      return a.index - b.index;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
    form.querySelector("[data-calc-usage]").textContent =
      "For " + usage.input.toLocaleString("en-US") + " input" +
      (usage.cached ? ", " + usage.cached.toLocaleString("en-US") + " cached input" : "") +
      " and " + usage.output.toLocaleString("en-US") + " output tokens per request, " +
      requests.toLocaleString("en-US") + " requests a month" + (usage.batch ? ", batch API." : ".");
  }

  document.querySelectorAll("form[data-calc]").forEach(function (form) {
    form.querySelector("[data-calc-fields]").disabled = false;
    form.addEventListener("input", function () { update(form); });
    form.addEventListener("change", function () { update(form); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  });
})();
