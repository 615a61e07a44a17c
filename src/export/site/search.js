// docket's offline search: filters the prebuilt index (search-index.js) as you type.
// No server and no network: works from any address and from file://.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var data = window.DOCKET_SEARCH_INDEX;
  if (!input || !list || !data) { return; }
  var root = document.body.getAttribute("data-root") || "";
  var docs = data.pages.map(function (p) {
    return {
      page: p,
      title: p.t.toLowerCase(),
      all: (p.t + " " + p.d + " " + p.g.join(" ") + " " + p.x).toLowerCase()
    };
  });
  function run() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!words.length) { list.hidden = true; return; }
    var hits = [];
    docs.forEach(function (d) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        if (d.all.indexOf(words[i]) < 0) { return; }
        score += d.title.indexOf(words[i]) >= 0 ? 10 : 1;
      }
      hits.push({ score: score, page: d.page });
    });
    hits.sort(function (a, b) {
      return b.score - a.score || (a.page.t < b.page.t ? -1 : a.page.t > b.page.t ? 1 : 0);
    });
    hits.slice(0, 50).forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + h.page.u;
      a.textContent = h.page.t;
      li.appendChild(a);
      if (h.page.d) {
        var s = document.createElement("span");
        s.textContent = " \u2014 " + h.page.d;
        li.appendChild(s);
      }
      list.appendChild(li);
    });
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "No matching articles.";
      list.appendChild(none);
    }
    list.hidden = false;
  }
  input.addEventListener("input", run);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; run(); }
  });
  run();
})();
