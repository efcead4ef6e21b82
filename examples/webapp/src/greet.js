// greet is what the test checks and the server answers on /api/greet.
function greet(name) {
  return `Hello, ${name}!`;
}

module.exports = { greet };
