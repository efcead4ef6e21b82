// The browser side of the example. It has a real syntax error on purpose:
// `npm run build` (node --check) fails on it, and Brummer turns the error
// into a diagnostic at this file, line 8.
const { greet } = require("./greet.js");

function render(target) {
  const message = greet("world");
  target.textContent = message +;
}

module.exports = { render };
