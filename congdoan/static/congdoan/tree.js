// congdoan: the organisation tree browser (no inline scripts: the CSP forbids them).
// Nodes load their children through htmx when first opened (<details hx-trigger="toggle once">).
document.addEventListener("DOMContentLoaded", () => {
  // "Collapse all": close every open node of the tree named by data-tree-collapse.
  document.querySelectorAll("[data-tree-collapse]").forEach((button) => {
    button.addEventListener("click", () => {
      const tree = document.querySelector(button.getAttribute("data-tree-collapse"));
      if (!tree) return;
      tree.querySelectorAll("details[open]").forEach((node) => node.removeAttribute("open"));
    });
  });
  // The arrow keys move between node links; right opens a node, left closes it.
  const tree = document.getElementById("org-tree");
  if (!tree) return;
  tree.addEventListener("keydown", (event) => {
    const link = event.target.closest("a");
    if (!link || !tree.contains(link)) return;
    const links = Array.from(tree.querySelectorAll("li > details > summary > a, li > .tree-leaf > a"))
      .filter((a) => a.offsetParent !== null);
    const index = links.indexOf(link);
    const details = link.closest("summary") ? link.closest("details") : null;
    if (event.key === "ArrowDown" && index < links.length - 1) {
      links[index + 1].focus();
    } else if (event.key === "ArrowUp" && index > 0) {
      links[index - 1].focus();
    } else if (event.key === "ArrowRight" && details && !details.open) {
      details.open = true;
    } else if (event.key === "ArrowLeft" && details && details.open) {
      details.open = false;
    } else {
      return;
    }
    event.preventDefault();
  });
});
