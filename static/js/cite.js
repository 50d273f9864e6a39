// Copy a citation to the clipboard. Without JavaScript the buttons stay hidden and each
// citation is plain text to select; loaded as a file, so the CSP needs no inline script.
(function () {
  "use strict";
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http: select a hidden text area and copy it the old way.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var done = document.execCommand && document.execCommand("copy");
      document.body.removeChild(area);
      if (done) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = target.textContent.replace(/\s+/g, " ").trim();
      var box = button.closest("[data-copy-box], .cite-box, .footnotes") || document.body;
      var status = box.querySelector(".copy-status");
      copyText(text).then(function () {
        button.setAttribute("data-copied", "true");
        if (status) { status.textContent = "Citation copied."; }
      }, function () {
        if (status) { status.textContent = "Your browser did not allow copying: select the text instead."; }
      });
    });
  });
})();
