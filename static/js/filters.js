// On a small screen, fold a list's filters away behind a "Show filters" button so the
// results come first. The page is sent with the filters open, so without JavaScript (or on a
// wide screen) they are simply there; loaded as a file, so the CSP needs no inline script.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 48rem)");
  function fit() {
    var panels = document.querySelectorAll("details.filters-toggle");
    for (var i = 0; i < panels.length; i++) {
      if (narrow.matches) { panels[i].removeAttribute("open"); }
      else { panels[i].setAttribute("open", ""); }
    }
  }
  fit();
  if (narrow.addEventListener) { narrow.addEventListener("change", fit); }
})();
