// Served as written: no bundler, no source map.
function parseQuantity(text) {
  var n = parseInt(text, 10);
  if (isNaN(n)) {
    throw new RangeError("not a quantity: " + text); // @at click new
  }
  return n;
}

document.getElementById("buy").addEventListener("click", function () {
  parseQuantity("many"); // @at click-outer parseQuantity
});
setTimeout(function () {
  throw new TypeError("plain page loaded"); // @at load new
}, 0);
