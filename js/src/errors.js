// Errors the package throws: always an Error with a stable `code`.
export class VitrineError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'VitrineError';
    this.code = code;
  }
}

// Turns a status object from the wasm bindings into an exception.
export function check(status) {
  if (!status.ok) throw new VitrineError(status.code, status.error);
  return status;
}
