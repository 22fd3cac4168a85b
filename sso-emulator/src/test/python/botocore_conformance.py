#!/usr/bin/env python3
"""Drives botocore's own sso-oidc, sso and sts clients against a running emulator.

usage: botocore_conformance.py ENDPOINT
The emulator must have been started with a long poll interval (so two quick polls are always "too fast"),
and with at least 45 accounts of which 111111111111 holds AdministratorAccess and ReadOnlyAccess.
Exits non-zero with a message on the first mismatch.
"""
import datetime
import hashlib
import json
import os
import re
import shutil
import sys
import time
import urllib.request

import botocore.session
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = sys.argv[1].rstrip("/")
START_URL = "https://d-1234567890.awsapps.com/start"
ACCOUNT = "111111111111"
NO_RETRIES = {"max_attempts": 1, "mode": "standard"}


def fail(message):
    print("MISMATCH: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def expect_error(call, exception_class, what):
    try:
        call()
    except exception_class:
        return
    except ClientError as e:
        fail("%s: expected %s, got %s %s" % (what, exception_class.__name__, e.response["Error"].get("Code"), e))
    fail("%s: expected %s, but the call succeeded" % (what, exception_class.__name__))


def expect_code(call, code, status, what):
    try:
        call()
    except ClientError as e:
        got = e.response["Error"].get("Code")
        got_status = e.response["ResponseMetadata"].get("HTTPStatusCode")
        check(got == code, "%s: expected error %s, got %s" % (what, code, got))
        check(got_status == status, "%s: expected HTTP %s, got %s" % (what, status, got_status))
        return
    fail("%s: expected %s, but the call succeeded" % (what, code))


def control(path):
    request = urllib.request.Request(ENDPOINT + path, data=b"", method="POST")
    with urllib.request.urlopen(request) as response:
        check(response.status == 200, "control %s answered %s" % (path, response.status))


session = botocore.session.get_session()
unsigned = Config(signature_version=UNSIGNED, retries=NO_RETRIES)
oidc = session.create_client("sso-oidc", region_name="us-east-1", endpoint_url=ENDPOINT, config=unsigned)
sso = session.create_client("sso", region_name="us-east-1", endpoint_url=ENDPOINT, config=unsigned)

# --- RegisterClient: epoch-second timestamps, as the CLI's datetime.fromtimestamp expects
client = oidc.register_client(clientName="botocore-client-conformance", clientType="public",
                              scopes=["sso:account:access"])
for key in ("clientId", "clientSecret", "clientIdIssuedAt", "clientSecretExpiresAt"):
    check(key in client, "RegisterClient lacks " + key)
check(isinstance(client["clientSecretExpiresAt"], int), "clientSecretExpiresAt is not an integer")
check(abs(client["clientSecretExpiresAt"] - time.time() - 90 * 86400) < 86400,
      "clientSecretExpiresAt is not ~90 days ahead in epoch seconds: %s" % client["clientSecretExpiresAt"])
creds = {"clientId": client["clientId"], "clientSecret": client["clientSecret"]}

# --- StartDeviceAuthorization
device = oidc.start_device_authorization(startUrl=START_URL, **creds)
check(re.fullmatch(r"[A-Z]{4}-[A-Z]{4}", device["userCode"]) is not None, "userCode shape: " + device["userCode"])
check(device["verificationUri"] == ENDPOINT + "/device", "verificationUri: " + device["verificationUri"])
check(device["verificationUriComplete"] == ENDPOINT + "/device?user_code=" + device["userCode"],
      "verificationUriComplete: " + device["verificationUriComplete"])
check(device["expiresIn"] == 600, "expiresIn: %s" % device["expiresIn"])


def poll(dev):
    return oidc.create_token(grantType="urn:ietf:params:oauth:grant-type:device_code",
                             deviceCode=dev["deviceCode"], **creds)


# --- CreateToken: pending, then slow_down for polling inside the interval
expect_error(lambda: poll(device), oidc.exceptions.AuthorizationPendingException, "first poll")
expect_error(lambda: poll(device), oidc.exceptions.SlowDownException, "second poll inside the interval")

# --- the "browser" approves with a GET of verificationUriComplete
with urllib.request.urlopen(device["verificationUriComplete"]) as page:
    check(page.status == 200, "approval page answered %s" % page.status)
token = poll(device)
check(token["tokenType"] == "Bearer", "tokenType: " + token["tokenType"])
check(token.get("refreshToken"), "no refreshToken for a client registered with scopes")
check(token["expiresIn"] == 3600, "expiresIn: %s" % token["expiresIn"])
expect_error(lambda: poll(device), oidc.exceptions.InvalidGrantException, "re-using a redeemed device code")

# --- refresh rotates the refresh token
refreshed = oidc.create_token(grantType="refresh_token", refreshToken=token["refreshToken"], **creds)
check(refreshed["refreshToken"] != token["refreshToken"], "refresh token was not rotated")
expect_error(lambda: oidc.create_token(grantType="refresh_token", refreshToken=token["refreshToken"], **creds),
             oidc.exceptions.InvalidGrantException, "refreshing with a rotated-out token")
expect_error(lambda: oidc.start_device_authorization(startUrl=START_URL, clientId=client["clientId"],
                                                     clientSecret="wrong"),
             oidc.exceptions.InvalidClientException, "wrong client secret")

# --- expired and denied device codes
expired = oidc.start_device_authorization(startUrl=START_URL, **creds)
control("/_emulator/expire?user_code=" + expired["userCode"])
expect_error(lambda: poll(expired), oidc.exceptions.ExpiredTokenException, "expired device code")
denied = oidc.start_device_authorization(startUrl=START_URL, **creds)
control("/_emulator/deny?user_code=" + denied["userCode"])
expect_error(lambda: poll(denied), oidc.exceptions.AccessDeniedException, "denied device code")

access_token = refreshed["accessToken"]

# --- portal: paginators over accounts and roles
accounts = []
pages = 0
for page in sso.get_paginator("list_accounts").paginate(accessToken=access_token,
                                                          PaginationConfig={"PageSize": 10}):
    pages += 1
    accounts.extend(page["accountList"])
check(len(accounts) >= 45, "list_accounts paginator saw %d accounts" % len(accounts))
check(pages == (len(accounts) + 9) // 10, "list_accounts paginator made %d pages for %d accounts" % (pages, len(accounts)))
check(len({a["accountId"] for a in accounts}) == len(accounts), "duplicate account ids across pages")
for a in accounts:
    check(set(a) == {"accountId", "accountName", "emailAddress"}, "account keys: %s" % sorted(a))

roles = [r for page in sso.get_paginator("list_account_roles").paginate(accessToken=access_token, accountId=ACCOUNT,
                                                                         PaginationConfig={"PageSize": 1})
         for r in page["roleList"]]
check([r["roleName"] for r in roles] == ["AdministratorAccess", "ReadOnlyAccess"], "roles: %s" % roles)

role_creds = sso.get_role_credentials(accessToken=access_token, accountId=ACCOUNT,
                                      roleName="AdministratorAccess")["roleCredentials"]
check(re.fullmatch(r"ASIA[A-Z0-9]{16}", role_creds["accessKeyId"]) is not None, "accessKeyId shape")
check(abs(role_creds["expiration"] / 1000 - time.time() - 3600) < 600,
      "expiration is not ~1h ahead in epoch milliseconds: %s" % role_creds["expiration"])
expect_code(lambda: sso.get_role_credentials(accessToken=access_token, accountId=ACCOUNT, roleName="Nope"),
            "ForbiddenException", 403, "unassigned role")
expect_error(lambda: sso.get_role_credentials(accessToken=access_token, accountId="999999999999",
                                              roleName="AdministratorAccess"),
             sso.exceptions.ResourceNotFoundException, "unknown account")

# --- STS, SigV4-signed with the credentials the portal issued
sts = session.create_client("sts", region_name="us-east-1", endpoint_url=ENDPOINT,
                            aws_access_key_id=role_creds["accessKeyId"],
                            aws_secret_access_key=role_creds["secretAccessKey"],
                            aws_session_token=role_creds["sessionToken"], config=Config(retries=NO_RETRIES))
identity = sts.get_caller_identity()
check(identity["Account"] == ACCOUNT, "Account: " + identity["Account"])
check(re.fullmatch(r"arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}/.+",
                   identity["Arn"]) is not None, "Arn: " + identity["Arn"])

assumed = sts.assume_role(RoleArn="arn:aws:iam::%s:role/Deployer" % ACCOUNT, RoleSessionName="conformance",
                          DurationSeconds=900)
check(assumed["AssumedRoleUser"]["Arn"] == "arn:aws:sts::%s:assumed-role/Deployer/conformance" % ACCOUNT,
      "AssumedRoleUser.Arn: " + assumed["AssumedRoleUser"]["Arn"])
chained = session.create_client("sts", region_name="us-east-1", endpoint_url=ENDPOINT,
                                aws_access_key_id=assumed["Credentials"]["AccessKeyId"],
                                aws_secret_access_key=assumed["Credentials"]["SecretAccessKey"],
                                aws_session_token=assumed["Credentials"]["SessionToken"],
                                config=Config(retries=NO_RETRIES))
check(chained.get_caller_identity()["Arn"] == assumed["AssumedRoleUser"]["Arn"], "assumed-role caller identity")

bad = session.create_client("sts", region_name="us-east-1", endpoint_url=ENDPOINT,
                            aws_access_key_id=role_creds["accessKeyId"],
                            aws_secret_access_key="x" + role_creds["secretAccessKey"][1:],
                            aws_session_token=role_creds["sessionToken"], config=Config(retries=NO_RETRIES))
expect_code(bad.get_caller_identity, "SignatureDoesNotMatch", 403, "STS signed with a wrong secret")
unknown = session.create_client("sts", region_name="us-east-1", endpoint_url=ENDPOINT,
                                aws_access_key_id="ASIAUNKNOWNUNKNOWN12",
                                aws_secret_access_key=role_creds["secretAccessKey"],
                                config=Config(retries=NO_RETRIES))
expect_code(unknown.get_caller_identity, "InvalidClientTokenId", 403, "STS with an unknown key")

# --- a presigned (query-string) STS request, as botocore generates it
url = sts.generate_presigned_url("get_caller_identity", ExpiresIn=300, HttpMethod="GET")
with urllib.request.urlopen(url) as response:
    body = response.read().decode()
    check(response.status == 200 and "<Account>%s</Account>" % ACCOUNT in body, "presigned GetCallerIdentity: " + body)

# --- botocore's own SSO credential chain: profile -> sso-session token cache -> refresh -> GetRoleCredentials -> STS
# The cached token expires in 5 minutes, inside botocore's refresh window, so botocore must refresh it with the
# refresh token (and write the rotated one back) before it asks the portal for credentials.
# botocore fixes its token cache directory from $HOME at import time, so this part needs a throwaway HOME given
# to the whole process; it runs only when EMULATOR_SANDBOX_HOME says HOME is one (never a developer's real ~/.aws).
def profile_chain_signs_sts_calls():
    home = os.environ.get("EMULATOR_SANDBOX_HOME")
    if not home or os.path.realpath(home) != os.path.realpath(os.path.expanduser("~")):
        print("skipped the profile-chain check: set HOME and EMULATOR_SANDBOX_HOME to one throwaway directory")
        return None
    try:
        config_file = os.path.join(home, "config")
        with open(config_file, "w") as f:
            f.write("[sso-session emu]\nsso_start_url = %s\nsso_region = us-east-1\n"
                    "sso_registration_scopes = sso:account:access\n\n"
                    "[profile dev]\nsso_session = emu\nsso_account_id = %s\n"
                    "sso_role_name = ReadOnlyAccess\nregion = us-east-1\n" % (START_URL, ACCOUNT))
        cache_dir = os.path.join(home, ".aws", "sso", "cache")
        os.makedirs(cache_dir, exist_ok=True)
        cache_file = os.path.join(cache_dir, hashlib.sha1(b"emu").hexdigest() + ".json")
        fresh = oidc.create_token(grantType="refresh_token", refreshToken=refreshed["refreshToken"], **creds)
        soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5)
        later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30)
        with open(cache_file, "w") as f:
            json.dump({"startUrl": START_URL, "region": "us-east-1", "accessToken": fresh["accessToken"],
                       "expiresAt": soon.strftime("%Y-%m-%dT%H:%M:%SZ"), "clientId": creds["clientId"],
                       "clientSecret": creds["clientSecret"],
                       "registrationExpiresAt": later.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "refreshToken": fresh["refreshToken"]}, f)
        saved = {k: os.environ.get(k) for k in ("AWS_CONFIG_FILE", "AWS_ENDPOINT_URL", "AWS_SHARED_CREDENTIALS_FILE")}
        os.environ.update({"AWS_CONFIG_FILE": config_file, "AWS_ENDPOINT_URL": ENDPOINT,
                           "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials")})
        try:
            profile_session = botocore.session.Session(profile="dev")
            who = profile_session.create_client("sts", config=Config(retries=NO_RETRIES)).get_caller_identity()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        check(re.fullmatch(r"arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_ReadOnlyAccess_[0-9a-f]{16}/.+",
                           who["Arn"]) is not None, "profile chain caller: " + who["Arn"])
        with open(cache_file) as f:
            rewritten = json.load(f)
        check(rewritten["refreshToken"] != fresh["refreshToken"],
              "botocore did not refresh the nearly expired token (or did not keep the rotated refresh token)")
        return rewritten["accessToken"]
    finally:
        shutil.rmtree(os.path.join(home, ".aws"), ignore_errors=True)


chain_token = profile_chain_signs_sts_calls()

# --- logout, then the token is dead
sso.logout(accessToken=access_token)
expect_error(lambda: sso.list_accounts(accessToken=access_token), sso.exceptions.UnauthorizedException,
             "list_accounts after logout")

with urllib.request.urlopen(ENDPOINT + "/_emulator/counters") as response:
    counters = json.loads(response.read())
check(counters.get("GetCallerIdentity", 0) >= 3, "counters: %s" % counters)
print("botocore %s conforms" % botocore.__version__)
