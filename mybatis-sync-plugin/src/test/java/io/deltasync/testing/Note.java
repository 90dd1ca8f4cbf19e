package io.deltasync.testing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

/** A row of the test application's {@code note} table. */
public class Note {
  public long id;
  public String title;
  public String body;
  public boolean done;
  public BigDecimal amount;
  public LocalDateTime createdAt;
  public LocalDate dueDay;
  public byte[] data;

  public Note() {}

  public Note(long id, String title) {
    this.id = id;
    this.title = title;
    this.amount = new BigDecimal("0.00");
  }
}
