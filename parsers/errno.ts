/**
 * Errno numbers as Zephyr prints them (negative return values: `-EIO` prints as `-5`).
 *
 * One table decodes every Zephyr ≥ 2.6 build: the minimal libc was aligned with newlib in
 * commit 165def7ea6 (2021-05-11), and picolibc uses the same numbers (reference/formats.md §4).
 * Linux/glibc numbers collide (Linux 115 = EINPROGRESS, 116 = ESTALE; Zephyr 115 = ENETDOWN,
 * 116 = ETIMEDOUT), so they are never used here.
 */
const NEWLIB_ERRNO: ReadonlyMap<number, string> = new Map<number, string>([
  [1, 'EPERM'], [2, 'ENOENT'], [3, 'ESRCH'], [4, 'EINTR'], [5, 'EIO'], [6, 'ENXIO'],
  [7, 'E2BIG'], [8, 'ENOEXEC'], [9, 'EBADF'], [10, 'ECHILD'], [11, 'EAGAIN'], [12, 'ENOMEM'],
  [13, 'EACCES'], [14, 'EFAULT'], [15, 'ENOTBLK'], [16, 'EBUSY'], [17, 'EEXIST'], [18, 'EXDEV'],
  [19, 'ENODEV'], [20, 'ENOTDIR'], [21, 'EISDIR'], [22, 'EINVAL'], [23, 'ENFILE'], [24, 'EMFILE'],
  [25, 'ENOTTY'], [26, 'ETXTBSY'], [27, 'EFBIG'], [28, 'ENOSPC'], [29, 'ESPIPE'], [30, 'EROFS'],
  [31, 'EMLINK'], [32, 'EPIPE'], [33, 'EDOM'], [34, 'ERANGE'], [35, 'ENOMSG'], [36, 'EIDRM'],
  [45, 'EDEADLK'], [46, 'ENOLCK'], [60, 'ENOSTR'], [61, 'ENODATA'], [62, 'ETIME'], [63, 'ENOSR'],
  [67, 'ENOLINK'], [71, 'EPROTO'], [74, 'EMULTIHOP'], [77, 'EBADMSG'], [79, 'EFTYPE'],
  [88, 'ENOSYS'], [90, 'ENOTEMPTY'], [91, 'ENAMETOOLONG'], [92, 'ELOOP'], [95, 'EOPNOTSUPP'],
  [96, 'EPFNOSUPPORT'], [104, 'ECONNRESET'], [105, 'ENOBUFS'], [106, 'EAFNOSUPPORT'],
  [107, 'EPROTOTYPE'], [108, 'ENOTSOCK'], [109, 'ENOPROTOOPT'], [110, 'ESHUTDOWN'],
  [111, 'ECONNREFUSED'], [112, 'EADDRINUSE'], [113, 'ECONNABORTED'], [114, 'ENETUNREACH'],
  [115, 'ENETDOWN'], [116, 'ETIMEDOUT'], [117, 'EHOSTDOWN'], [118, 'EHOSTUNREACH'],
  [119, 'EINPROGRESS'], [120, 'EALREADY'], [121, 'EDESTADDRREQ'], [122, 'EMSGSIZE'],
  [123, 'EPROTONOSUPPORT'], [124, 'ESOCKTNOSUPPORT'], [125, 'EADDRNOTAVAIL'], [126, 'ENETRESET'],
  [127, 'EISCONN'], [128, 'ENOTCONN'], [129, 'ETOOMANYREFS'], [132, 'EDQUOT'], [133, 'ESTALE'],
  [134, 'ENOTSUP'], [138, 'EILSEQ'], [139, 'EOVERFLOW'], [140, 'ECANCELED'],
  [141, 'ENOTRECOVERABLE'], [142, 'EOWNERDEAD'],
]);

/** What each errno means for the failures uartscope explains (formats.md §3.3, §3.5, §4). */
const ERRNO_MEANING: ReadonlyMap<string, string> = new Map([
  ['EIO', 'I/O error: the module answered ERROR or FAIL'],
  ['EAGAIN', 'timed out waiting (k_sem_take timeout)'],
  ['ETIMEDOUT', 'timed out: no answer within the command timeout'],
  ['ENETDOWN', 'network interface is down'],
  ['EALREADY', 'already connected or connecting'],
  ['EBUSY', 'busy'],
  ['EINVAL', 'invalid argument'],
  ['ENOMEM', 'out of memory'],
  ['ENOTSUP', 'not supported'],
  ['ECONNREFUSED', 'connection refused'],
  ['EHOSTUNREACH', 'host unreachable'],
  ['ENETUNREACH', 'network unreachable'],
]);

/**
 * Name of an errno in newlib numbering, for `n` negative (as Zephyr prints it) or positive.
 * Unknown or missing values give `E?<n>` (`E?` when there is no number), never throw.
 */
export function errnoName(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'E?';
  const abs = Math.abs(Math.trunc(n));
  return NEWLIB_ERRNO.get(abs) ?? `E?${abs}`;
}

/** A short human meaning for the errnos that matter in Wi-Fi bring-up, or undefined. */
export function errnoMeaning(n: number | null | undefined): string | undefined {
  return ERRNO_MEANING.get(errnoName(n));
}
