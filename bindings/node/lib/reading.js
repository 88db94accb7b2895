// Reading a whole output. A long string is converted to UTF-8 a slice at a time while
// the addon's worker classifies the slices before (converting it whole first would take
// longer than classifying it); anything else goes over at once.
'use strict';

// UTF-16 code units per slice; a slice is at most three times as many bytes of UTF-8.
const SLICE = 4 << 20;

module.exports = (native) => {
  let scratch = null;

  function sliced(text, options) {
    scratch ??= Buffer.allocUnsafe(3 * SLICE);
    const reading = new native.OutputReader(options);
    for (let at = 0; at < text.length; ) {
      let end = Math.min(at + SLICE, text.length);
      // A surrogate pair is one character: never cut between its halves.
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
      const written = scratch.write(text.slice(at, end), 0, 'utf8');
      reading.pushCopy(scratch.subarray(0, written));
      at = end;
    }
    return reading.answer();
  }

  // The native diagnosis of `output` (a string or a Buffer, as coerced).
  return function read(output, options) {
    if (typeof output === 'string' && output.length > SLICE) return sliced(output, options);
    return native.diagnose(output, options);
  };
};

module.exports.SLICE = SLICE;
