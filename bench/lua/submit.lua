-- A patient sending the consultation request form: GET the form (a new session
-- and its CSRF token), then POST it with one or two free preferred times.
-- Run with one connection per thread (-t N -c N): each thread is one patient at a time.
-- Arguments after `--`: the form's path, then the free slot times to choose from.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
require("summary")
local wrk_done = done

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local path, slots = "/", {}
local state, cookie, token, started, sent = "get", nil, nil, 0, 0
get_us, post_us, codes, submitted, broken = {}, {}, {}, 0, 0

function init(args)
  path = args[1]
  for i = 2, #args do slots[#slots + 1] = args[i] end
  math.randomseed(tid * 7919)
end

local function escape(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function form_body()
  sent = sent + 1
  local fields = {
    "service=initial-consultation",
    "full_name=" .. escape("Bench Patient " .. tid .. " " .. sent),
    "email=" .. escape("t" .. tid .. "-" .. sent .. "@submit.bench.example"),
    "phone=" .. escape("+1 312 555 " .. string.format("%04d", (tid * 100 + sent) % 10000)),
    "date_of_birth=1985-04-12", "concern=depression", "concern_details=",
    "heart_condition=no", "substance_misuse=no", "psychosis_or_mania=no", "pregnancy=no",
    "medications=", "support_person=yes", "consent_email=y", "consent_phone=y",
    "consent_privacy=y", "website=", "csrf_token=" .. escape(token),
  }
  local first = math.random(#slots)
  fields[#fields + 1] = "preferred_times=" .. escape(slots[first])
  if #slots > 1 and math.random() < 0.5 then
    fields[#fields + 1] = "preferred_times=" .. escape(slots[(first % #slots) + 1])
  end
  return table.concat(fields, "&")
end

function request()
  started = now_us()
  if state == "get" then
    return wrk.format("GET", path)
  end
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie }, form_body())
end

function response(status, headers, body)
  local elapsed = now_us() - started
  if state == "get" then
    get_us[#get_us + 1] = elapsed
    token = status == 200 and body:match('name="csrf_token" type="hidden" value="([^"]+)"') or nil
    local set_cookie = headers["Set-Cookie"] or headers["set-cookie"]
    cookie = set_cookie and set_cookie:match("^([^;]+)") or nil
    if token and cookie then state = "post" else broken = broken + 1 end
    return
  end
  post_us[#post_us + 1] = elapsed
  codes[status] = (codes[status] or 0) + 1
  if status == 303 then submitted = submitted + 1 end
  state, cookie, token = "get", nil, nil
end

local function percentile(sorted, p)
  if #sorted == 0 then return 0 end
  return sorted[math.max(1, math.ceil(#sorted * p / 100))]
end

local function stats(name, values)
  table.sort(values)
  return string.format('"%s": {"count": %d, "p50": %d, "p95": %d, "p99": %d}', name, #values,
    percentile(values, 50), percentile(values, 95), percentile(values, 99))
end

function done(summary, latency, requests)
  wrk_done(summary, latency, requests)
  local gets, posts, total, bad, all_codes = {}, {}, 0, 0, {}
  for _, thread in ipairs(threads) do
    for _, v in ipairs(thread:get("get_us")) do gets[#gets + 1] = v end
    for _, v in ipairs(thread:get("post_us")) do posts[#posts + 1] = v end
    total = total + thread:get("submitted")
    bad = bad + thread:get("broken")
    for code, n in pairs(thread:get("codes")) do all_codes[code] = (all_codes[code] or 0) + n end
  end
  local code_list = {}
  for code, n in pairs(all_codes) do code_list[#code_list + 1] = string.format('"%d": %d', code, n) end
  io.write(string.format('BENCH_SUBMIT {"submitted": %d, "form_failures": %d, "post_codes": {%s}, %s, %s}\n',
    total, bad, table.concat(code_list, ", "), stats("get_us", gets), stats("post_us", posts)))
end
