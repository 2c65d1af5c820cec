// translator returns t(key, vars): the message for key from the page's
// catalog with {name} placeholders replaced. A missing key shows itself.
export function translator(messages) {
  return function t(key, vars) {
    let msg = Object.hasOwn(messages, key) ? messages[key] : key;
    if (vars) {
      for (const [name, value] of Object.entries(vars)) msg = msg.split(`{${name}}`).join(String(value));
    }
    return msg;
  };
}
