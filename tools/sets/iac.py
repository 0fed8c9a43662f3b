"""Benign requests for false-positive work (see README.md). usage: iac.py OUT SEED COUNT"""
import json, os, random, sys, base64
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "iac"); N = int(sys.argv[3])
R = random.choice
userdata = ["#!/bin/bash\nyum update -y\nyum install -y httpd\nsystemctl enable --now httpd\necho \"<h1>Hello from $(hostname -f)</h1>\" > /var/www/html/index.html",
            "#cloud-config\npackages:\n  - nginx\nruncmd:\n  - [ sh, -c, 'echo ok > /tmp/ready' ]\n  - systemctl restart nginx",
            "#!/bin/bash\nset -euo pipefail\ncurl -fsSL https://get.docker.com | sh\nusermod -aG docker ec2-user\ncat >> /etc/ecs/ecs.config <<EOF\nECS_CLUSTER=prod\nEOF"]
gl = ["stages: [build, test]\nbuild:\n  image: node:22\n  script:\n    - npm ci\n    - npm run build -- --mode production\n  artifacts:\n    paths: [dist/]\ntest:\n  script:\n    - npm test -- --ci || (cat npm-debug.log; exit 1)\n",
      "deploy:\n  stage: deploy\n  script:\n    - 'curl -X POST -H \"PRIVATE-TOKEN: $TOKEN\" \"$CI_API_V4_URL/projects/$CI_PROJECT_ID/trigger/pipeline\"'\n    - ssh deploy@$HOST \"cd /srv/app && git pull && ./restart.sh\"\n  rules:\n    - if: '$CI_COMMIT_BRANCH == \"main\"'\n"]
gha = "name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          python -m pip install -r requirements.txt\n          pytest -q --maxfail=1 && echo \"::notice::tests passed\"\n      - run: echo \"${{ github.event.pull_request.title }}\" | tee title.txt\n"
def cfn():
    t = {"AWSTemplateFormatVersion": "2010-09-09", "Parameters": {"Env": {"Type": "String", "AllowedValues": ["dev", "prod"]}},
         "Resources": {"Web": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": {"Ref": "AmiId"}, "UserData": {"Fn::Base64": {"Fn::Sub": R(userdata)}}}},
                       "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Sub": "${AWS::StackName}-${Env}-assets"}}},
                       "Policy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": {"Fn::Sub": "arn:aws:s3:::${Bucket}/*"}, "Condition": {"StringLike": {"aws:Referer": ["https://example.com/*"]}}}]}}},
                       "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "Code": {"ZipFile": "import json, os\ndef handler(event, context):\n    print(json.dumps(event))\n    return {'statusCode': 200, 'body': os.environ.get('GREETING', 'hi')}\n"}}}}}
    return "POST", "/", "Action=CreateStack&StackName=web-prod&TemplateBody=" + __import__("urllib.parse").parse.quote(json.dumps(t)) + "&Version=2010-05-15", "application/x-www-form-urlencoded"
def ec2():
    return "POST", "/", "Action=RunInstances&ImageId=ami-0abcdef&InstanceType=t3.micro&MinCount=1&MaxCount=1&UserData=" + __import__("urllib.parse").parse.quote(base64.b64encode(R(userdata).encode()).decode()) + "&Version=2016-11-15", "application/x-www-form-urlencoded"
def tfplan():
    return "POST", "/api/v2/plan-exports", json.dumps({"format_version": "1.2", "resource_changes": [{"address": "aws_instance.web", "change": {"actions": ["create"], "after": {"ami": "ami-0abc", "user_data": R(userdata), "tags": {"Name": "web-${var.env}"}}}},
        {"address": "null_resource.migrate", "change": {"actions": ["create"], "after": {"triggers": {"sql": "psql \"$DATABASE_URL\" -c 'ALTER TABLE users ADD COLUMN IF NOT EXISTS last_login timestamptz;'"}}}},
        {"address": "aws_ssm_document.patch", "change": {"after": {"content": json.dumps({"schemaVersion": "2.2", "mainSteps": [{"action": "aws:runShellScript", "name": "patch", "inputs": {"runCommand": ["sudo apt-get update", "sudo apt-get -y upgrade", "sudo reboot"]}}]})}}}]}), "application/json"
def gitlab():
    return "POST", "/api/v4/projects/42/ci/lint", json.dumps({"content": R(gl), "dry_run": True}), "application/json"
def github():
    return "PUT", "/repos/acme/web/contents/.github/workflows/ci.yml", json.dumps({"message": "ci: run tests", "content": base64.b64encode(gha.encode()).decode()}), "application/json"
def ssm():
    return "POST", "/", json.dumps({"DocumentName": "AWS-RunShellScript", "InstanceIds": ["i-0abc"], "Parameters": {"commands": R([["df -h", "free -m", "uptime"], ["cd /srv/app && git pull && systemctl restart app"], ["cat /var/log/app/error.log | tail -50"]])}, "Comment": "routine check"}), "application/x-amz-json-1.1"
def k8sjob():
    return "POST", "/apis/batch/v1/namespaces/default/jobs", json.dumps({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"}, "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "m", "image": "app:1.4", "command": ["/bin/sh", "-c"], "args": [R(["python manage.py migrate --noinput && python manage.py collectstatic --noinput", "until pg_isready -h db; do sleep 2; done; npm run migrate"])]}]}}}}), "application/json"
fns = [cfn, ec2, tfplan, gitlab, github, ssm, k8sjob]
for i in range(N):
    f = R(fns); m, p, b, ct = f()
    o.emit(f.__name__, m, p, b, ct, ua=R(["aws-cli/2.22.0 Python/3.12.6", "Terraform/1.10.0", "python-gitlab/4.13.0", "kubectl/v1.31.2"]))
