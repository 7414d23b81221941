// Clicking a [n] marker in an answer shows the passage it cites in the source panel
// beside the chat: that answer's sources, the clicked one highlighted and in view.
document.addEventListener("click", function (ev) {
  var a = ev.target && ev.target.closest ? ev.target.closest("a.cite") : null;
  if (!a) return;
  var m = /#src-(\d+)-(\d+)$/.exec(a.getAttribute("href") || "");
  if (!m) return;
  ev.preventDefault();
  var panel = document.getElementById("passage-panel");
  var entry = document.getElementById("src-" + m[1] + "-" + m[2]);
  if (!panel || !entry) return;
  panel.querySelectorAll("section.evchat-turn-sources").forEach(function (s) {
    s.hidden = s.id !== "srcs-" + m[1];
  });
  panel.querySelectorAll("li.source.active").forEach(function (x) {
    x.classList.remove("active");
  });
  var heading = panel.querySelector(".evchat-panel-turn");
  if (heading) heading.textContent = "Sources of answer " + m[1];
  entry.classList.add("active");
  entry.scrollIntoView({behavior: "smooth", block: "nearest"});
});

// The chat's copy button copies a message's raw value, which for an answer is its HTML:
// hand the clipboard the text the user sees instead ([n] markers included).
(function () {
  var clip = navigator.clipboard;
  if (!clip || !clip.writeText) return;
  var write = clip.writeText.bind(clip);
  clip.writeText = function (text) {
    if (typeof text === "string" && text.indexOf('<div class="evchat-turn"') === 0) {
      var doc = new DOMParser().parseFromString(text, "text/html");  // parsed, never run
      doc.querySelectorAll("details").forEach(function (d) { d.remove(); });
      text = doc.body.textContent.replace(/\s+/g, " ").trim();
    }
    return write(text);
  };
})();
