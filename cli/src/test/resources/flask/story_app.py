"""The story's API: Flask with flask-cors, plus a hand-written Access-Control-Allow-Origin.

Run: /usr/bin/python3 story_app.py PORT   (binds 127.0.0.1 only, as `flask run` does)

The after_request hook below is registered before CORS(app). Flask runs after_request hooks in
reverse order, so flask-cors first echoes the page's origin (its default: origins='*' with
send_wildcard=False), then this hook adds a hand-written `Access-Control-Allow-Origin: *`: the
browser sees two values, 'http://localhost:4200, *', the story's failure. (Registered after
CORS(app), the hook would run first and flask-cors would skip the response.)
"""
import sys

from flask import Flask, jsonify, request
from flask_cors import CORS

app = Flask(__name__)


@app.after_request
def allow_the_angular_app(response):
    if request.method != "OPTIONS":
        response.headers.add("Access-Control-Allow-Origin", "*")
    return response


CORS(app)


@app.route("/sample", methods=["GET", "POST"])
def sample():
    return jsonify(message="sample")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]))
