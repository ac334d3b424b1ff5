/* The catalog table (filter, sort, page; state in the URL) and the compare page.
   Both read the catalog data file (generator/client_data.py documents its shape).
   The table's first rows are in the HTML already; the data file is fetched only
   when the reader filters or sorts, or opens a link that carries a view. */
(function () {
  "use strict";
  var PAGE = 100;
  var dataPromise = null;

  function loadData(src) {
    if (!dataPromise) {
      dataPromise = fetch(src).then(function (r) {
        if (!r.ok) throw new Error("catalog data: HTTP " + r.status);
        return r.json();
      });
    }
    return dataPromise;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.append(c); });
    return node;
  }

  function shortTokens(v) {
    if (!v) return "—";
    if (v >= 1000000 && v % 1000000 === 0) return v / 1000000 + "M";
    if (v >= 1000) return v % 1000 === 0 ? v / 1000 + "K" : v.toLocaleString("en-US");
    return String(v);
  }

  function priceNode(p) {
    if (!p) return el("span", { class: "unknown", text: "Not yet sourced" });
    if (p[0] === null && p[1] === "Not offered") return el("span", { class: "na", text: "Not offered" });
    return el("span", { class: "price", text: p[1] });
  }

  function offeringUrl(d, o) { return "/models/" + d.models[o.m].s + "/" + d.providers[o.p][0] + "/"; }

  // --- the catalog table ---
  var FIELDS = ["q", "provider", "creator", "cap", "in", "out", "open", "status", "min", "max"];
  var SORTS = {
    model: function (d, o) { return d.models[o.m].n.toLowerCase(); },
    provider: function (d, o) { return d.providers[o.p][1].toLowerCase(); },
    id: function (d, o) { return o.id.toLowerCase(); },
    input: function (d, o) { return o.pr && o.pr.input ? o.pr.input[0] : null; },
    output: function (d, o) { return o.pr && o.pr.output ? o.pr.output[0] : null; },
    cache: function (d, o) { return o.pr && o.pr.cache_read ? o.pr.cache_read[0] : null; },
    context: function (d, o) { return o.cx || null; }
  };

  function setupTable(form) {
    var table = document.querySelector("table[data-catalog-table]");
    if (!table) return;
    var body = table.tBodies[0];
    var count = form.querySelector("[data-count]");
    var fallback = document.querySelector("[data-more-fallback]");
    var state = { sort: "model", dir: "asc", shown: PAGE };
    var more = el("button", { type: "button", class: "more-button", hidden: "" });
    table.parentNode.after(more);

    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th) {
      var key = th.dataset.sort;
      if (!key) return;
      var button = el("button", { type: "button", class: "sort", text: th.textContent });
      th.textContent = "";
      th.append(button);
      button.addEventListener("click", function () {
        state.dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
        state.sort = key;
        state.shown = PAGE;
        refresh(true);
      });
    });

    function readUrl() {
      var params = new URLSearchParams(location.search);
      var any = false;
      FIELDS.forEach(function (name) {
        var value = params.get(name);
        if (value !== null && form.elements.namedItem(name)) { form.elements.namedItem(name).value = value; any = true; }
      });
      if (SORTS[params.get("sort")]) { state.sort = params.get("sort"); any = true; }
      if (params.get("dir") === "desc") state.dir = "desc";
      return any;
    }

    function writeUrl() {
      var params = new URLSearchParams();
      FIELDS.forEach(function (name) {
        var value = form.elements.namedItem(name).value.trim();
        if (value) params.set(name, value);
      });
      if (state.sort !== "model" || state.dir !== "asc") { params.set("sort", state.sort); params.set("dir", state.dir); }
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    function matches(d) {
      var f = {};
      FIELDS.forEach(function (name) { f[name] = form.elements.namedItem(name).value.trim(); });
      var words = f.q.toLowerCase().split(/\s+/).filter(Boolean);
      var capIndex = f.cap ? d.capabilities.findIndex(function (c) { return c[0] === f.cap; }) : -1;
      var min = f.min === "" ? null : Math.round(Number(f.min) * 1e6);
      var max = f.max === "" ? null : Math.round(Number(f.max) * 1e6);
      return function (o) {
        var m = d.models[o.m];
        if (f.provider && d.providers[o.p][0] !== f.provider) return false;
        if (f.creator && d.creators[m.c][0] !== f.creator) return false;
        if (f.cap && (o.k || []).indexOf(capIndex) < 0) return false;
        if (f.in && (m.i || []).indexOf(f.in) < 0) return false;
        if (f.out && (m.o || []).indexOf(f.out) < 0) return false;
        if (f.open === "yes" && m.w !== true) return false;
        if (f.open === "no" && m.w !== false) return false;
        if (f.status && o.s !== f.status) return false;
        if (min !== null || max !== null) {
          var price = o.pr && o.pr.input ? o.pr.input[0] : null;
          if (price === null || (min !== null && price < min) || (max !== null && price > max)) return false;
        }
        if (words.length) {
          var hay = (m.n + " " + d.providers[o.p][1] + " " + d.creators[m.c][1] + " " + o.id + " " + m.s).toLowerCase();
          for (var i = 0; i < words.length; i++) if (hay.indexOf(words[i]) < 0) return false;
        }
        return true;
      };
    }

    function row(d, o) {
      var m = d.models[o.m];
      var pr = o.pr || {};
      return el("tr", {}, [
        el("td", { class: "c-model" }, [el("a", { href: offeringUrl(d, o), text: m.n })]),
        el("td", { class: "c-provider" }, [el("a", { href: "/providers/" + d.providers[o.p][0] + "/", text: d.providers[o.p][1] })]),
        el("td", { class: "c-id" }, [el("code", { text: o.id })]),
        el("td", { class: "num", "data-label": "In" }, [priceNode(pr.input)]),
        el("td", { class: "num", "data-label": "Out" }, [priceNode(pr.output)]),
        el("td", { class: "num", "data-label": "Cached" }, [priceNode(pr.cache_read)]),
        el("td", { class: "num", "data-label": "Context", text: shortTokens(o.cx) })
      ]);
    }

    function render(d) {
      var found = d.offerings.map(function (o, i) { return [o, i]; }).filter(function (p) { return matches(d)(p[0]); });
      var key = SORTS[state.sort];
      var sign = state.dir === "asc" ? 1 : -1;
      found.sort(function (a, b) {
        var x = key(d, a[0]), y = key(d, b[0]);
        if (x === y) return a[1] - b[1];
        if (x === null) return 1; // unknown values last, whichever the direction
        if (y === null) return -1;
        return (x < y ? -1 : 1) * sign;
      });
      var shown = found.slice(0, state.shown);
      body.replaceChildren.apply(body, shown.map(function (p) { return row(d, p[0]); }));
      var n = found.length.toLocaleString("en-US");
      count.textContent = found.length === d.offerings.length
        ? "Showing " + (shown.length < found.length ? "the first " + shown.length + " of " : "all ") + n + " offerings."
        : n + (found.length === 1 ? " offering matches" : " offerings match") +
          (shown.length < found.length ? "; showing the first " + shown.length + "." : ".");
      more.hidden = shown.length >= found.length;
      more.textContent = "Show " + Math.min(PAGE, found.length - shown.length) + " more";
      if (fallback) fallback.hidden = true;
      headers.forEach(function (th) {
        if (th.dataset.sort === state.sort) th.setAttribute("aria-sort", state.dir === "asc" ? "ascending" : "descending");
        else th.removeAttribute("aria-sort");
      });
    }

    function refresh(urlToo) {
      if (urlToo) writeUrl();
      form.setAttribute("aria-busy", "true");
      loadData(form.dataset.src).then(function (d) { render(d); form.removeAttribute("aria-busy"); })
        .catch(function () { count.textContent = "The filters could not load their data; the table shows the first offerings."; });
    }

    more.addEventListener("click", function () { state.shown += PAGE; refresh(false); });
    form.addEventListener("input", function () { state.shown = PAGE; refresh(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); refresh(true); });
    if (readUrl()) refresh(false);
  }

  // --- the compare page ---
  var SUGGESTIONS = 50;  // offerings and models suggested at a time as a name is typed
  function setupCompare(form) {
    var out = document.querySelector("[data-compare-out]");
    var status = form.querySelector("[data-compare-status]");
    var input = form.elements.namedItem("add");
    var list = document.getElementById(input.getAttribute("list"));

    function chosen() {
      var params = new URLSearchParams(location.search);
      var items = [];
      params.forEach(function (v, k) { if (k === "o" || k === "m") items.push([k, v]); });
      return items.slice(0, 4);
    }
    function save(items) {
      var params = new URLSearchParams();
      items.forEach(function (it) { params.append(it[0], it[1]); });
      history.replaceState(null, "", location.pathname + (items.length ? "?" + params.toString() : ""));
    }

    loadData(form.dataset.src).then(function (d) {
      var labels = {};
      var byKey = {};
      d.offerings.forEach(function (o) {
        var key = d.providers[o.p][0] + "/" + d.models[o.m].s;
        var label = d.models[o.m].n + " on " + d.providers[o.p][1];
        labels[label] = ["o", key];
        byKey["o:" + key] = o;
      });
      d.models.forEach(function (m, i) {
        labels[m.n + " (every provider)"] = ["m", m.s];
        byKey["m:" + m.s] = i;
      });
      // Suggestions follow what is typed, a few at a time: a list of every offering and model made
      // up front (6,600 options for 5,000 offerings) held the page still for half a second as it
      // loaded, and would grow with the catalog. Matched as the browser filters a datalist: the typed text
      // anywhere in the label, any case.
      var names = Object.keys(labels).sort();
      var folded = names.map(function (label) { return label.toLowerCase(); });
      function suggest() {
        var text = input.value.trim().toLowerCase();
        var found = [];
        for (var i = 0; text && i < names.length && found.length < SUGGESTIONS; i++) {
          if (folded[i].indexOf(text) >= 0) found.push(el("option", { value: names[i] }));
        }
        list.replaceChildren.apply(list, found);
      }
      input.addEventListener("input", suggest);
      suggest();  // (for what was typed while the data loaded)

      function column(item) {
        var offering = item[0] === "o" ? byKey["o:" + item[1]] : null;
        var mi = offering ? offering.m : byKey["m:" + item[1]];
        if (mi === undefined || (item[0] === "o" && !offering)) return null;
        var m = d.models[mi];
        var offers = d.offerings.filter(function (o) { return o.m === mi; });
        function cheapest(dim) {
          var best = null;
          offers.forEach(function (o) {
            var p = o.pr && o.pr[dim];
            if (p && p[0] !== null && (best === null || p[0] < best[0][0])) best = [p, d.providers[o.p][1]];
          });
          return best;
        }
        function price(dim) {
          if (offering) return priceNode(offering.pr && offering.pr[dim]);
          var best = cheapest(dim);
          return best ? el("span", {}, [el("span", { class: "price", text: best[0][1] }), " (" + best[1] + ")"]) : priceNode(null);
        }
        var caps = (offering ? offering.k : m.k) || [];
        var title = offering ? el("a", { href: offeringUrl(d, offering), text: m.n + " on " + d.providers[offering.p][1] })
          : el("a", { href: "/models/" + m.s + "/", text: m.n + " (cheapest provider)" });
        var yesNo = m.w === true ? "Yes" : m.w === false ? "No" : "Not yet documented";
        return {
          title: title,
          cells: [
            offering ? el("code", { text: offering.id }) : offers.length + " provider(s)",
            price("input"), price("output"), price("cache_read"), price("batch_input"), price("batch_output"),
            shortTokens(offering ? offering.cx : m.cx), shortTokens(offering ? offering.mx : m.mx),
            caps.map(function (k) { return d.capabilities[k][1]; }).join(", ") || "Not yet documented",
            (m.i || ["text"]).join(", "), (m.o || ["text"]).join(", "),
            d.creators[m.c][1], yesNo, m.r || "Not yet documented", m.pa || "Not yet documented", m.l || "Not yet documented"
          ]
        };
      }
      var ROWS = ["Model ID", "Input / 1M", "Output / 1M", "Cached input / 1M", "Batch input / 1M", "Batch output / 1M",
        "Context", "Max output", "Capabilities", "Input", "Output", "Creator", "Open weights", "Released", "Parameters", "License"];

      function render() {
        var items = chosen();
        var cols = [];
        items.forEach(function (it) { var c = column(it); if (c) cols.push([it, c]); });
        if (!cols.length) {
          out.replaceChildren(el("p", { text: "Nothing chosen yet: add two to four offerings or models above." }));
          status.textContent = "";
          return;
        }
        status.textContent = "Comparing " + cols.length + (cols.length === 1 ? " item; add at least one more." : " items.");
        var head = el("tr", {}, [el("td", {})].concat(cols.map(function (c, i) {
          var remove = el("button", { type: "button", class: "remove", "aria-label": "Remove " + c[1].title.textContent, text: "×" });
          remove.addEventListener("click", function () {
            save(items.filter(function (it) { return !(it[0] === c[0][0] && it[1] === c[0][1]); }));
            render();
          });
          return el("th", { scope: "col" }, [c[1].title, " ", remove]);
        })));
        var rows = ROWS.map(function (label, r) {
          return el("tr", {}, [el("th", { scope: "row", text: label })].concat(cols.map(function (c) {
            var v = c[1].cells[r];
            return el("td", {}, [typeof v === "string" ? document.createTextNode(v) : v]);
          })));
        });
        out.replaceChildren(el("div", { class: "table-scroll" }, [
          el("table", { class: "compare" }, [el("caption", { text: "Side by side; prices in US dollars" }), el("thead", {}, [head]), el("tbody", {}, rows)])
        ]));
      }

      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var pick = labels[input.value.trim()];
        var items = chosen();
        if (!pick) { status.textContent = "Choose one of the suggestions."; return; }
        if (items.length >= 4) { status.textContent = "Four at most: remove one first."; return; }
        if (!items.some(function (it) { return it[0] === pick[0] && it[1] === pick[1]; })) items.push(pick);
        save(items);
        input.value = "";
        render();
      });
      render();
    }).catch(function () { status.textContent = "The comparison data could not be loaded."; });
  }

  var catalogForm = document.querySelector("form[data-catalog]");
  if (catalogForm) setupTable(catalogForm);
  var compareForm = document.querySelector("form[data-compare]");
  if (compareForm) setupCompare(compareForm);
})();
