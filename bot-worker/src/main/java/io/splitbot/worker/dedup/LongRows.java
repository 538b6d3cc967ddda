package io.splitbot.worker.dedup;

/**
 * A queue of fixed-width rows of longs in one array: rows are appended at the tail in ascending order of their first
 * column and dropped from the head. Lookups by the first column are binary searches. It costs {@code 8 * width}
 * bytes a row, not the ~70 bytes of a boxed map entry.
 */
final class LongRows {
  private final int width;
  private long[] cells = new long[0];
  private int head;
  private int size;

  LongRows(int width) {
    this.width = width;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long get(int row, int column) {
    return cells[(head + row) * width + column];
  }

  void setLast(int column, long value) {
    cells[(head + size - 1) * width + column] = value;
  }

  /** The caller keeps the first column ascending. */
  void append(long... row) {
    if ((head + size + 1) * width > cells.length) {
      makeRoom();
    }
    System.arraycopy(row, 0, cells, (head + size) * width, width);
    size++;
  }

  void dropFirst() {
    head++;
    size--;
    if (size == 0) {
      head = 0;
    }
  }

  void clear() {
    head = 0;
    size = 0;
    cells = new long[0];
  }

  /** The last row whose first column is at most {@code key}, or -1 when there is none. */
  int floor(long key) {
    int low = 0;
    int high = size - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (get(mid, 0) <= key) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return high;
  }

  /** Moves the live rows to the front of an array twice their number: it grows with them and shrinks after a burst. */
  private void makeRoom() {
    long[] moved = new long[Math.max(16, 2 * (size + 1)) * width];
    System.arraycopy(cells, head * width, moved, 0, size * width);
    cells = moved;
    head = 0;
  }
}
