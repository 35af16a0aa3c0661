/**
 * Turns an open failure into a sentence that names the port and the cause, with what to do.
 * serialport's binding reports errno text such as "Permission denied, cannot open /dev/ttyACM0"
 * or "Error Resource temporarily unavailable Cannot lock port" (node-serialport bindings-cpp
 * `src/serialport_unix.cpp`).
 */
export function describeOpenError(port: string, path: string, err: Error): string {
  const m = err.message;
  let cause = m;
  if (/permission denied|EACCES/i.test(m)) cause = 'permission denied (EACCES): add the user to the "dialout" group, or see deploy/99-uartscope.rules';
  else if (/cannot lock port|resource temporarily unavailable|EBUSY|EAGAIN/i.test(m)) cause = 'busy: another program (tio, minicom, screen, ModemManager) has it open';
  else if (/no such file or directory|ENOENT/i.test(m)) cause = 'not present (ENOENT): unplugged, or the path is wrong; retrying';
  else if (/not a typewriter|ENOTTY|inappropriate ioctl/i.test(m)) cause = 'not a serial device (ENOTTY)';
  return `port ${port} (${path}): ${cause}`;
}
