// The print button of document views (no inline handlers: the Content Security Policy forbids them).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print");
  if (button) button.addEventListener("click", function () { window.print(); });
});
