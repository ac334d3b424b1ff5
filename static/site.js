/* On every page: theme toggle, copy buttons, recipe tabs, search results.
   Everything here enhances HTML that already works without it. */
(function () {
  "use strict";
  var root = document.documentElement;

  // --- theme: the system's by default; the toggle's choice is remembered ---
  function systemDark() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  function stored() {
    try { return localStorage.getItem("theme"); } catch (e) { return null; }
  }
  function applyTheme(theme) {
    if (theme) root.dataset.theme = theme; else delete root.dataset.theme;
    var dark = theme ? theme === "dark" : systemDark();
    document.querySelectorAll("[data-theme-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(dark));
    });
  }
  applyTheme(stored());
  document.querySelectorAll("[data-theme-toggle]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var next = button.getAttribute("aria-pressed") === "true" ? "light" : "dark";
      try { localStorage.setItem("theme", next); } catch (e) { /* private mode: this page only */ }
      applyTheme(next);
    });
  });

  // --- copy buttons on code blocks and model IDs ---
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }
  document.querySelectorAll("pre.code, .model-id").forEach(function (block) {
    var code = block.querySelector("code");
    if (!code) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    var what = block.classList.contains("model-id") ? "model ID" : "code";
    button.setAttribute("aria-label", "Copy " + what);
    button.addEventListener("click", function () {
      copyText(code.textContent).then(
        function () { button.textContent = "Copied"; },
        function () { button.textContent = "Press Ctrl+C"; }
      );
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    });
    block.classList.add("has-copy");
    block.appendChild(button);
  });

  // --- recipe languages as tabs (WAI-ARIA tabs pattern, automatic activation) ---
  document.querySelectorAll("[data-tabs]").forEach(function (box, boxIndex) {
    var panels = Array.prototype.slice.call(box.querySelectorAll("section[data-tab]"));
    var nav = box.querySelector("[data-tabs-nav]");
    if (panels.length < 2 || !nav) return;
    var list = document.createElement("div");
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", "Language");
    list.className = "tabs";
    var tabs = panels.map(function (panel, i) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.id = "tabbtn-" + boxIndex + "-" + i;
      tab.textContent = panel.dataset.tab;
      tab.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.setAttribute("tabindex", "0");
      var heading = panel.querySelector("h3");
      if (heading) heading.classList.add("visually-hidden");
      list.appendChild(tab);
      return tab;
    });
    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var on = i === index;
        tab.setAttribute("aria-selected", String(on));
        tab.tabIndex = on ? 0 : -1;
        panels[i].hidden = !on;
      });
      if (focus) tabs[index].focus();
      try { localStorage.setItem("recipe-tab", panels[index].dataset.tab); } catch (e) { /* ignore */ }
    }
    list.addEventListener("click", function (event) {
      var i = tabs.indexOf(event.target.closest("[role=tab]"));
      if (i >= 0) select(i, false);
    });
    list.addEventListener("keydown", function (event) {
      var current = tabs.indexOf(document.activeElement);
      var next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined || current < 0) return;
      event.preventDefault();
      select((next + tabs.length) % tabs.length, true);
    });
    nav.replaceWith(list);
    var preferred = null;
    try { preferred = localStorage.getItem("recipe-tab"); } catch (e) { /* ignore */ }
    var fromHash = panels.findIndex(function (p) { return "#" + p.id === location.hash; });
    var fromStore = panels.findIndex(function (p) { return p.dataset.tab === preferred; });
    select(fromHash >= 0 ? fromHash : Math.max(fromStore, 0), false);
  });

  // --- search: Pagefind, loaded only when the reader types a query ---
  // A large site's index is in parts (parts.json lists all but the first): merged before searching.
  var pagefind = null;
  function load() {
    if (!pagefind) {
      pagefind = Promise.all([
        import("/pagefind/pagefind.js"),
        fetch("/pagefind/parts.json").then(function (r) { return r.ok ? r.json() : { merge: [] }; }),
      ]).then(function (loaded) {
        var pf = loaded[0];
        return Promise.all(loaded[1].merge.map(function (part) { return pf.mergeIndex(part); }))
          .then(function () { return pf; });
      });
      pagefind.catch(function () { pagefind = null; });  // a later query tries again
    }
    return pagefind;
  }
  function el(tag, text) {
    var node = document.createElement(tag);
    node.textContent = text;
    return node;
  }
  // Pagefind's excerpt is escaped text with <mark> around the matches: keep only those two.
  function excerpt(html) {
    var p = document.createElement("p");
    var parsed = new DOMParser().parseFromString(html, "text/html").body;
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") p.append(el("mark", node.textContent));
      else p.append(node.textContent);
    });
    return p;
  }
  function resultItem(item, withExcerpt) {
    var li = document.createElement("li");
    var a = el("a", (item.meta && item.meta.title) || item.url);
    a.href = item.url;
    li.append(a);
    if (withExcerpt) li.append(excerpt(item.excerpt));
    return li;
  }
  // Calls show(total, items) with the first `limit` results of the latest query only.
  function searcher(limit, show, fail) {
    var latest = 0;
    return function (query) {
      var ticket = ++latest;
      load().then(function (pf) { return pf.debouncedSearch(query, {}, 150); }).then(function (found) {
        if (!found || ticket !== latest) return null;
        return Promise.all(found.results.slice(0, limit).map(function (r) { return r.data(); }))
          .then(function (items) { if (ticket === latest) show(found.results.length, items); });
      }).catch(fail);
    };
  }

  // The search box in every page's header: the first results under it as you type.
  var box = document.querySelector("form.search");
  var boxInput = box && box.querySelector("input[name=q]");
  if (box && boxInput && !document.querySelector("form[data-search]")) {
    var pop = document.createElement("div");
    pop.className = "search-pop";
    pop.hidden = true;
    var popStatus = el("p", "");
    popStatus.setAttribute("role", "status");
    var popList = document.createElement("ul");
    pop.append(popStatus, popList);
    box.append(pop);
    var quick = searcher(6, function (total, items) {
      popStatus.textContent = total ? total + (total === 1 ? " result" : " results") + "; Enter shows them all." : "No results.";
      popList.replaceChildren.apply(popList, items.map(function (item) { return resultItem(item, false); }));
      pop.hidden = false;
    }, function () { popStatus.textContent = "Search is unavailable right now."; pop.hidden = false; });
    boxInput.addEventListener("input", function () {
      var query = boxInput.value.trim();
      if (query.length < 2) { pop.hidden = true; return; }
      quick(query);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { pop.hidden = true; boxInput.focus(); }
    });
    document.addEventListener("click", function (event) { if (!box.contains(event.target)) pop.hidden = true; });
  }

  // The search page: every result, with excerpts; the query is kept in the URL.
  var form = document.querySelector("form[data-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector("[data-search-status]");
  var results = document.querySelector("[data-search-results]");
  var full = searcher(20, function (total, items) {
    status.textContent = total + (total === 1 ? " result" : " results") + " for “" + input.value.trim() + "”.";
    results.replaceChildren.apply(results, items.map(function (item) { return resultItem(item, true); }));
  }, function () { status.textContent = "Search is unavailable right now."; });
  function run() {
    var query = input.value.trim();
    var url = new URL(location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!query) { results.replaceChildren(); status.textContent = ""; return; }
    full(query);
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", run);
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(); }
})();
