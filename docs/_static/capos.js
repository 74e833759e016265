/* capOS site script: under every Graphviz diagram, a link that opens its SVG full size in its own
   tab (the page shows the diagram at its natural size in a horizontally scrolling box). */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("div.graphviz").forEach(function (box) {
    var o = box.querySelector("object.graphviz, img.graphviz");
    var src = o && (o.getAttribute("data") || o.getAttribute("src"));
    if (!src) return;
    var p = document.createElement("p");
    p.className = "capos-diagram-open";
    var a = document.createElement("a");
    a.href = src;
    a.target = "_blank";
    a.rel = "noopener";
    a.textContent = "Open the diagram full size (SVG)";
    p.appendChild(a);
    box.insertAdjacentElement("afterend", p);
  });
});
