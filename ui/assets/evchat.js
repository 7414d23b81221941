// Clicking a [n] marker scrolls to its source entry and highlights it.
document.addEventListener("click", function (ev) {
  var a = ev.target && ev.target.closest ? ev.target.closest("a.cite") : null;
  if (!a) return;
  ev.preventDefault();
  var el = document.getElementById("cite-" + a.getAttribute("data-n"));
  if (!el) return;
  document.querySelectorAll("li.source.active").forEach(function (x) {
    x.classList.remove("active");
  });
  el.classList.add("active");
  el.scrollIntoView({behavior: "smooth", block: "center"});
});
