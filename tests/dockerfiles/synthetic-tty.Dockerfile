FROM ubuntu:24.04
RUN echo a
RUN echo b
RUN sudo apt-get update && sudo apt-get install -y python3-pip
RUN pip3 install -r requirements.txt -i http://pypi.doubanio.com/simple --trusted-host pypi.doubanio.com
COPY . .
