// SPDX-License-Identifier: MIT
#include <queue/schema.hpp>

namespace crashpilot::queue {

namespace {

// Copy of schemas/request.v2.schema.json (tests/unit/queue/test_schema.cpp compares them).
constexpr std::string_view k_request = R"schema({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://crashpilot.dev/schemas/request.v2.schema.json",
  "title": "crashpilot analysis request, schema_version 2",
  "description": "Written by crashpilot into <queue>/requests/request_{id}.json. Every field of the seed's request (request_id, timestamp, status, crash, context, request_type, priority) keeps its name and meaning; the others are additions. A `truncated` object beside a capped field gives the number of items (arrays) or bytes (strings) cut.",
  "type": "object",
  "required": ["schema_version", "request_id", "timestamp", "status", "crash", "context", "request_type", "priority"],
  "properties": {
    "schema_version": {"const": 2},
    "request_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
    "timestamp": {"type": "string"},
    "status": {"enum": ["pending", "in_progress", "completed"]},
    "request_type": {"type": "string"},
    "priority": {"enum": ["critical", "high", "medium", "low"]},
    "priority_score": {"type": "integer", "minimum": 0, "maximum": 100},
    "processing_started": {"type": "string"},
    "completed_at": {"type": "string"},
    "crash": {
      "type": "object",
      "required": ["crash_id", "timestamp", "exception_code", "crash_location", "crash_function", "error_message",
                   "call_stack", "crash_category", "severity", "is_bot_related", "root_cause_hypothesis", "fix_suggestions"],
      "properties": {
        "crash_id": {"type": "string"},
        "timestamp": {"type": "string"},
        "exception_code": {"type": "string"},
        "crash_location": {"type": "string"},
        "crash_function": {"type": "string"},
        "error_message": {"type": "string"},
        "call_stack": {"type": "array", "items": {"type": "string"}},
        "crash_category": {"type": "string"},
        "severity": {"type": "string"},
        "is_bot_related": {"type": "boolean"},
        "root_cause_hypothesis": {"type": "string"},
        "fix_suggestions": {"type": "array", "items": {"type": "string"}},
        "signature": {"type": "object", "properties": {"id": {"type": "string"}, "text": {"type": "string"}}},
        "frames": {"type": "array", "items": {"$ref": "#/$defs/frame"}},
        "thread": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
        "occurrences": {
          "type": "object",
          "required": ["count", "first_seen", "last_seen"],
          "properties": {
            "count": {"type": "integer", "minimum": 1},
            "first_seen": {"type": "string"},
            "last_seen": {"type": "string"},
            "first_seen_unix": {"type": "integer"},
            "last_seen_unix": {"type": "integer"}
          }
        },
        "truncated": {"$ref": "#/$defs/truncated"}
      }
    },
    "context": {
      "type": "object",
      "required": ["errors_before_crash", "warnings_before_crash", "server_log_context", "playerbot_log_context"],
      "properties": {
        "errors_before_crash": {"type": "array", "items": {"$ref": "#/$defs/log_line"}},
        "warnings_before_crash": {"type": "array", "items": {"$ref": "#/$defs/log_line"}},
        "server_log_context": {"type": "array", "items": {"type": "string"}},
        "playerbot_log_context": {"type": "array", "items": {"type": "string"}},
        "truncated": {"$ref": "#/$defs/truncated"}
      }
    },
    "bucket": {
      "type": "object",
      "required": ["id", "count"],
      "properties": {
        "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
        "signature": {"type": "string"},
        "count": {"type": "integer", "minimum": 1},
        "first_seen": {"type": "string"},
        "last_seen": {"type": "string"}
      }
    },
    "source": {
      "type": "object",
      "properties": {
        "repo_root": {"type": "string"},
        "vcs": {"const": "git"},
        "base_commit": {"type": "string"},
        "dirty": {"type": "boolean"},
        "snippets": {
          "type": "array",
          "items": {
            "type": "object",
            "required": ["path", "start_line", "end_line", "text"],
            "properties": {
              "path": {"type": "string"},
              "start_line": {"type": "integer", "minimum": 1},
              "end_line": {"type": "integer", "minimum": 1},
              "frame_index": {"type": "integer"},
              "text": {"type": "string"},
              "truncated": {"$ref": "#/$defs/truncated"}
            }
          }
        },
        "truncated": {"$ref": "#/$defs/truncated"}
      }
    },
    "policy": {
      "type": "object",
      "required": ["allowed_paths", "forbidden_paths", "max_files", "max_changed_lines", "max_response_bytes"],
      "properties": {
        "allowed_paths": {"type": "array", "items": {"type": "string"}},
        "forbidden_paths": {"type": "array", "items": {"type": "string"}},
        "hierarchy": {
          "type": "array",
          "items": {
            "type": "object",
            "required": ["level", "paths"],
            "properties": {"level": {"type": "integer", "minimum": 1}, "paths": {"type": "array", "items": {"type": "string"}}}
          }
        },
        "max_files": {"type": "integer", "minimum": 0},
        "max_changed_lines": {"type": "integer", "minimum": 0},
        "max_response_bytes": {"type": "integer", "minimum": 0}
      }
    },
    "attempt": {
      "type": "object",
      "required": ["number", "previous"],
      "properties": {
        "number": {"type": "integer", "minimum": 1},
        "previous": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "response_id": {"type": "string"},
              "outcome": {"type": "string"},
              "log_tail": {"type": "string"},
              "truncated": {"$ref": "#/$defs/truncated"}
            }
          }
        },
        "truncated": {"$ref": "#/$defs/truncated"}
      }
    },
    "claims": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["lease_id", "holder", "claimed_at", "expires_at"],
        "properties": {
          "lease_id": {"type": "string"},
          "holder": {"type": "string"},
          "pid": {"type": "integer"},
          "host": {"type": "string"},
          "claimed_at": {"type": "string"},
          "expires_at": {"type": "string"},
          "outcome": {"enum": ["lease_expired", "claimer_died_before_lease", "released"]},
          "reason": {"type": "string"},
          "released_at": {"type": "string"}
        }
      }
    },
    "reply": {
      "type": "object",
      "required": ["response_path", "schema"],
      "properties": {
        "response_path": {"type": "string"},
        "schema": {"type": "string"},
        "mcp_server": {"type": "string"},
        "deadline": {"type": "string"}
      }
    },
    "truncated": {"$ref": "#/$defs/truncated"}
  },
  "$defs": {
    "truncated": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
    "log_line": {
      "type": "object",
      "required": ["message"],
      "properties": {"message": {"type": "string"}, "timestamp": {"type": "string"}}
    },
    "frame": {
      "type": "object",
      "properties": {
        "index": {"type": "integer"},
        "address": {"type": ["string", "null"]},
        "module": {"type": "string"},
        "function": {"type": "string"},
        "arguments": {"type": "string"},
        "file": {"type": "string"},
        "line": {"type": "integer"},
        "column": {"type": "integer"},
        "inlined": {"type": "boolean"},
        "offset": {"type": ["string", "null"]}
      }
    }
  }
}
)schema";

// Copy of schemas/response.v2.schema.json.
constexpr std::string_view k_response = R"schema({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://crashpilot.dev/schemas/response.v2.schema.json",
  "title": "crashpilot analysis response, schema_version 2",
  "description": "Written by an analysis agent into <queue>/responses/response_{request_id}.json (write a temporary file and rename it). crashpilot validates it before anything is applied: request_id and lease_id must match the request and its lease; paths must be relative, without '..' or '.git', inside the request's policy.allowed_paths and outside policy.forbidden_paths; the diff must apply to patch.base_commit. Responses without schema_version are the seed's version 1 and are shown, never applied.",
  "type": "object",
  "required": ["schema_version", "request_id", "lease_id", "status"],
  "properties": {
    "schema_version": {"const": 2},
    "request_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
    "lease_id": {"type": "string"},
    "timestamp": {"type": "string"},
    "status": {"enum": ["complete", "no_fix", "needs_info", "error"]},
    "analysis": {
      "type": "object",
      "properties": {
        "summary": {"type": "string"},
        "root_cause": {"type": "string"},
        "crash_location": {
          "type": "object",
          "properties": {"file": {"type": "string"}, "line": {"type": "integer"}, "function": {"type": "string"}}
        },
        "category": {"type": "string"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "evidence": {"type": "array", "items": {"type": "string"}}
      }
    },
    "patch": {
      "type": "object",
      "properties": {
        "format": {"const": "unified-diff"},
        "base_commit": {"type": "string"},
        "diff": {"type": "string"},
        "edits": {
          "type": "array",
          "items": {
            "type": "object",
            "required": ["path", "old_string", "new_string"],
            "properties": {
              "path": {"type": "string"},
              "old_string": {"type": "string"},
              "new_string": {"type": "string"},
              "replace_all": {"type": "boolean"}
            }
          }
        },
        "files": {
          "type": "array",
          "items": {
            "type": "object",
            "required": ["path"],
            "properties": {"path": {"type": "string"}, "change": {"enum": ["modify", "add", "delete"]}}
          }
        }
      }
    },
    "fix_strategy": {
      "type": "object",
      "properties": {
        "approach": {"type": "string"},
        "hierarchy_level": {"type": "integer", "minimum": 1},
        "rationale": {"type": "string"},
        "files_to_modify": {"type": "array", "items": {"type": "string"}}
      }
    },
    "tests": {
      "type": "array",
      "items": {"type": "object", "properties": {"kind": {"type": "string"}, "description": {"type": "string"}}}
    },
    "risk": {
      "type": "object",
      "properties": {"threading": {"type": "boolean"}, "core_files_modified": {"type": "integer"}, "notes": {"type": "string"}}
    },
    "notes": {"type": "array", "items": {"type": "string"}},
    "fix_content": {"type": "string", "description": "Free text shown to people only; never applied."},
    "agent": {
      "type": "object",
      "properties": {
        "name": {"type": "string"},
        "version": {"type": "string"},
        "model": {"type": "string"},
        "session_id": {"type": "string"},
        "cost_usd": {"type": "number"},
        "turns": {"type": "integer"},
        "duration_s": {"type": "number"}
      }
    }
  },
  "if": {"properties": {"status": {"const": "complete"}}},
  "then": {
    "required": ["patch"],
    "properties": {"patch": {"required": ["base_commit"], "anyOf": [{"required": ["diff"]}, {"required": ["edits"]}]}}
  }
}
)schema";

} // namespace

std::string_view request_schema_v2() {
  return k_request;
}
std::string_view response_schema_v2() {
  return k_response;
}

std::optional<std::string_view> schema_text(std::string_view name) {
  if (name == "request") {
    return k_request;
  }
  if (name == "response") {
    return k_response;
  }
  return std::nullopt;
}

} // namespace crashpilot::queue
