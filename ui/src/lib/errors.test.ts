import { describe, expect, it } from "vitest";
import { IpcError } from "../ipc";
import { describeError, invalidField } from "./errors";

describe("errors in plain words", () => {
  it("starts the core's message with a capital", () => {
    expect(describeError(new IpcError("NotFound", "no entry with id 1"))).toBe("No entry with id 1");
  });

  it("says what to do when the disk is full", () => {
    expect(describeError({ kind: "DiskFull", message: "storage: database or disk is full" })).toMatch(/disk is full.*text is still here/i);
  });

  it("finds the field an Invalid error names", () => {
    expect(invalidField(new IpcError("Invalid", "200000 is more than 100000", "session.participants"))).toBe("session.participants");
    expect(invalidField({ kind: "Invalid", message: "must not be empty", field: "title" })).toBe("title");
    expect(invalidField(new IpcError("Storage", "invalid title: x"))).toBeNull();
  });

  it("describes anything else that was thrown", () => {
    expect(describeError(new Error("boom"))).toBe("Boom");
    expect(describeError(undefined)).toBe("An unexpected error occurred");
  });
});

describe("Invalid errors", () => {
  it("name the field the way the form labels it", () => {
    expect(describeError(new IpcError("Invalid", "200000 is more than 100000", "session.participants"))).toBe("Participants: 200000 is more than 100000");
    expect(describeError(new IpcError("Invalid", "nope", "something_new"))).toBe("Something new: nope");
  });
});
